// Package jobs is the background side of Dnevnik: asynq task types, the
// enqueue client, the handlers, the scheduler, and the rate-limited sender
// through which every push and digest reaches Telegram.
//
// Every message is first a row of the outbox (diary.Store.Plan); a task names
// the row and nothing else, and the message is checked against the access
// rule and rendered when it is sent. The scheduler sweeps the outbox for what
// Redis lost. A row's claim (diary.Store.ClaimMessage) makes a task that
// asynq runs twice message nobody twice, and one rate limit in Redis is
// shared by every worker process. RELIABILITY.md lists the promises.
package jobs
