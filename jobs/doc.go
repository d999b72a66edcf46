// Package jobs is the background side of Dnevnik: asynq task types, the
// enqueue client, the handlers, the scheduler, and the rate-limited sender
// through which every push and digest reaches Telegram.
//
// Every send goes through the delivery ledger (diary.Store.ClaimDelivery), so
// a task that asynq runs twice messages nobody twice, and through one rate
// limit in Redis shared by every worker process.
package jobs
