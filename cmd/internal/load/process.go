package load

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strconv"
	"sync/atomic"
	"syscall"
	"time"
)

// Target is how to start the dnevnik process under test.
type Target struct {
	Exe string   // the dnevnik binary
	Env []string // its environment; the run adds what points it at the fake
	Log io.Writer
}

// process is a dnevnik process the run started.
type process struct {
	cmd    *exec.Cmd
	exited chan struct{}
	rss    *rssWatch
}

// start starts exe with args and env, and samples its memory until it exits.
func start(t Target, env []string, args ...string) (*process, error) {
	cmd := exec.Command(t.Exe, args...)
	cmd.Env = append(append([]string{}, t.Env...), env...) // later entries win
	cmd.Stdout, cmd.Stderr = t.Log, t.Log
	// A tool killed outright does not leave the process behind.
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("start dnevnik %s: %w", args[0], err)
	}
	p := &process{cmd: cmd, exited: make(chan struct{}), rss: &rssWatch{pid: cmd.Process.Pid}}
	go func() { _ = cmd.Wait(); close(p.exited) }()
	go p.rss.run(p.exited)
	return p, nil
}

// stop asks the process to stop (SIGTERM) and kills it after 15 s.
func (p *process) stop() {
	_ = p.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-p.exited:
	case <-time.After(15 * time.Second):
		_ = p.cmd.Process.Kill()
		<-p.exited
	}
}

// alive fails once the process has exited, so that a run does not wait for
// answers from a process that is gone.
func (p *process) alive() error {
	select {
	case <-p.exited:
		return fmt.Errorf("dnevnik %s exited: %v", p.cmd.Args[1], p.cmd.ProcessState)
	default:
		return nil
	}
}

// rssInterval is how often a process's memory is read.
const rssInterval = 50 * time.Millisecond

// rssWatch keeps the largest resident set of a process since the last take.
type rssWatch struct {
	pid int
	max atomic.Int64 // bytes
}

func (w *rssWatch) run(done <-chan struct{}) {
	tick := time.NewTicker(rssInterval)
	defer tick.Stop()
	for {
		if rss, err := readRSS(w.pid); err == nil {
			for m := w.max.Load(); rss > m && !w.max.CompareAndSwap(m, rss); m = w.max.Load() {
			}
		}
		select {
		case <-done:
			return
		case <-tick.C:
		}
	}
}

// take returns the largest RSS since the last take and starts again from the current one.
func (w *rssWatch) take() int64 {
	now, _ := readRSS(w.pid)
	return max(w.max.Swap(now), now)
}

// readRSS reads VmRSS from /proc/PID/status, in bytes.
func readRSS(pid int) (int64, error) {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/status")
	if err != nil {
		return 0, fmt.Errorf("read the memory of process %d: %w", pid, err)
	}
	sc := bufio.NewScanner(bytes.NewReader(b))
	for sc.Scan() {
		if rest, ok := bytes.CutPrefix(sc.Bytes(), []byte("VmRSS:")); ok {
			var kb int64
			if _, err := fmt.Sscan(string(rest), &kb); err != nil {
				return 0, fmt.Errorf("VmRSS of process %d: %w", pid, err)
			}
			return kb * 1024, nil
		}
	}
	return 0, fmt.Errorf("process %d has no VmRSS", pid)
}

// sleepUntil waits until t or ctx ends.
func sleepUntil(ctx context.Context, t time.Time) error {
	timer := time.NewTimer(time.Until(t))
	defer timer.Stop()
	select {
	case <-timer.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// clockTicks is USER_HZ, the unit of /proc/PID/stat's times: 100 on Linux.
const clockTicks = 100

// cpuTime is the CPU time (user and system) the process has used so far.
func (p *process) cpuTime() time.Duration {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(p.cmd.Process.Pid) + "/stat")
	if err != nil {
		return 0
	}
	// The fields after the command's name, which is in parentheses and may hold spaces.
	fields := bytes.Fields(b[bytes.LastIndexByte(b, ')')+1:])
	if len(fields) < 13 {
		return 0
	}
	utime, _ := strconv.ParseInt(string(fields[11]), 10, 64)
	stime, _ := strconv.ParseInt(string(fields[12]), 10, 64)
	return time.Duration(utime+stime) * time.Second / clockTicks
}

// ownCPUTime is the CPU time this process (the tool and the fake) has used so far.
func ownCPUTime() time.Duration {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
