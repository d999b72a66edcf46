// Package telegram is the one place that knows Telegram's wire rules, which the
// bot and the worker must both follow the same way: a button's signed callback
// data and the keyboards both of them send (a button the worker sends, the bot
// reads), what Telegram's errors mean, how long a message may be, and the HTTP
// client to talk to it with. It knows the diary's ids and the locales' texts,
// never the bot or the jobs, so the worker builds the bot's buttons without
// importing the bot. Package bot/bottest fakes Telegram for the tests of both.
package telegram
