// Package load drives a running Dnevnik from the outside, as Telegram would,
// and measures it: webhook updates posted open loop at a list of rates, or an
// announcement fanned out to many chats, against a Bot API fake
// (bot/bottest) that keeps Telegram's limits and round trip. It starts the
// dnevnik process under test itself and watches its memory. `dnevnik bench`
// is its command; README.md and BENCHMARKS.md say how to run it.
package load
