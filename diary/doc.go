// Package diary is the core of Dnevnik: the domain types, the rules of who may see
// what, and the PostgreSQL store that answers the bot's and the worker's questions.
//
// It imports nothing else of ours and knows nothing of Telegram, asynq or
// translations. The schema it reads and writes is in package migrations.
package diary
