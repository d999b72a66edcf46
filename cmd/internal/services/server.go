package services

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// Server is a child process serving on a loopback port out of a temporary folder.
type Server struct {
	name   string
	url    string
	dir    string
	cmd    *exec.Cmd
	exited chan struct{} // closed when cmd has exited
	log    string        // the server's own log, shown when it fails to come up
	quit   os.Signal     // the signal that asks for a clean shutdown
	// launch makes the server's process, writing to the log; ready tells
	// when it serves. Restart uses both again.
	launch func(logFile *os.File) *exec.Cmd
	ready  func(context.Context) error
}

// URL is where the server serves: DATABASE_URL or REDIS_URL.
func (s *Server) URL() string { return s.url }

// Logf reports what the servers are doing; devenv prefixes its name.
var Logf = func(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "devenv: "+format+"\n", args...)
}

// newServer makes the server's private folder, owned by u, and opens its log there.
// The caller closes the log once the server has started (the child keeps its copy).
func newServer(name string, u serviceUser, quit os.Signal) (*Server, *os.File, error) {
	dir, err := os.MkdirTemp("", "dnevnik-"+strings.ReplaceAll(strings.ToLower(name), " ", "-")+"-")
	if err != nil {
		return nil, nil, fmt.Errorf("%s folder: %w", name, err)
	}
	s := &Server{name: name, dir: dir, log: filepath.Join(dir, "server.log"), quit: quit}
	if err := os.Chown(dir, u.uid, u.gid); err != nil {
		os.RemoveAll(dir)
		return nil, nil, fmt.Errorf("%s folder: %w", name, err)
	}
	logFile, err := os.Create(s.log)
	if err != nil {
		os.RemoveAll(dir)
		return nil, nil, fmt.Errorf("%s log: %w", name, err)
	}
	return s, logFile, nil
}

// start starts cmd and watches for its exit.
func (s *Server) start(cmd *exec.Cmd) error {
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("start %s: %w", s.name, err)
	}
	s.cmd = cmd
	s.exited = make(chan struct{})
	go func() { _ = cmd.Wait(); close(s.exited) }()
	return nil
}

// Stop asks the server to shut down, kills it if it takes too long, and removes
// its folder.
func (s *Server) Stop() {
	s.halt()
	_ = os.RemoveAll(s.dir)
	Logf("stopped %s", s.name)
}

// halt asks the server's process to shut down and kills it if it takes too long.
func (s *Server) halt() {
	if s.cmd == nil {
		return
	}
	_ = s.cmd.Process.Signal(s.quit)
	select {
	case <-s.exited:
	case <-time.After(10 * time.Second):
		_ = s.cmd.Process.Kill()
		<-s.exited
	}
}

// Restart stops the server, leaves it down for the given time, and starts it
// again on the same port and folder: PostgreSQL keeps its data, Redis
// (without persistence) comes back empty.
func (s *Server) Restart(ctx context.Context, down time.Duration) error {
	s.halt()
	Logf("%s is down", s.name)
	select {
	case <-time.After(down):
	case <-ctx.Done():
		return ctx.Err()
	}
	logFile, err := os.OpenFile(s.log, os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		return fmt.Errorf("%s log: %w", s.name, err)
	}
	defer logFile.Close()
	if err := s.start(s.launch(logFile)); err != nil {
		return err
	}
	if err := s.waitReady(ctx, s.ready); err != nil {
		return err
	}
	Logf("restarted %s", s.name)
	return nil
}

// waitReady polls ready until it succeeds, the process exits, or 30 s pass.
func (s *Server) waitReady(ctx context.Context, ready func(context.Context) error) error {
	deadline := time.Now().Add(30 * time.Second)
	for {
		err := ready(ctx)
		if err == nil {
			return nil
		}
		select {
		case <-s.exited:
			return fmt.Errorf("%s exited during start-up:\n%s", s.name, tail(s.log))
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(50 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("%s did not come up in 30 s (%v):\n%s", s.name, err, tail(s.log))
		}
	}
}

// tail returns the end of a log file, for error messages.
func tail(path string) string {
	b, err := os.ReadFile(path)
	if err != nil {
		return ""
	}
	if len(b) > 2000 {
		b = b[len(b)-2000:]
	}
	return string(b)
}

// freePort asks the kernel for a free loopback port.
func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, fmt.Errorf("find a free port: %w", err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// serviceUser is who a server runs as.
type serviceUser struct {
	cred     *syscall.Credential // nil: the current user
	uid, gid int
}

// runAs is the current user, or the named system user when running as root and a
// name is given (PostgreSQL refuses to run as root).
func runAs(name string) (serviceUser, error) {
	if name == "" || os.Geteuid() != 0 {
		return serviceUser{uid: os.Getuid(), gid: os.Getgid()}, nil
	}
	u, err := user.Lookup(name)
	if err != nil {
		return serviceUser{}, fmt.Errorf("running as root needs the %q user: %w", name, err)
	}
	uid, _ := strconv.Atoi(u.Uid)
	gid, _ := strconv.Atoi(u.Gid)
	return serviceUser{cred: &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid)}, uid: uid, gid: gid}, nil
}

// command builds a child process running as u that dies with devenv.
func (u serviceUser) command(logFile *os.File, path string, args ...string) *exec.Cmd {
	cmd := exec.Command(path, args...)
	cmd.Stdout, cmd.Stderr = logFile, logFile
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: u.cred, Pdeathsig: syscall.SIGKILL, Setpgid: true}
	return cmd
}

// findBinary looks for name on PATH, then in the given folder patterns, newest last.
func findBinary(name string, patterns ...string) (string, error) {
	if p, err := exec.LookPath(name); err == nil {
		return p, nil
	}
	for _, pattern := range patterns {
		matches, _ := filepath.Glob(filepath.Join(pattern, name))
		if len(matches) > 0 {
			slices.Sort(matches)
			return matches[len(matches)-1], nil
		}
	}
	return "", errors.New(name + " not found")
}
