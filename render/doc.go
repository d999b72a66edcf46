// Package render turns diary views into the text a person reads in Telegram, in
// the reader's language. The bot's answers and the worker's digests and pushes
// use the same functions, so a day or a grade list reads the same wherever it
// appears.
//
// Output is Telegram HTML (parse_mode "HTML"). Every piece of data is escaped,
// and every line is tag-balanced on its own, so that Split may cut a long text at
// any line boundary and each part is still valid markup. A blank line separates
// blocks (a day, a subject, an event): the place Split prefers to cut.
//
// Words come from locales/render.*.toml; layout and icons live here. Render shows
// what the view holds and nothing else: no lookups, no data of its own.
package render
