package services

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
)

// Install installs Debian's package pkg when binary is missing and we run as
// root (as a CI machine does), and returns the binary's path. Anyone else is
// told the command that installs it, and otherwise (the alternative, if any).
func Install(ctx context.Context, binary, pkg, otherwise string) (string, error) {
	if path, err := exec.LookPath(binary); err == nil {
		return path, nil
	}
	if os.Geteuid() != 0 {
		hint := fmt.Sprintf("%s is not installed: run `sudo apt-get install -y %s`", binary, pkg)
		if otherwise != "" {
			hint += ", " + otherwise
		}
		return "", errors.New(hint)
	}
	Logf("%s is missing: installing %s from Debian (apt-get update && apt-get install %s)", binary, pkg, pkg)
	for _, args := range [][]string{
		{"update", "-qq"},
		{"install", "-y", "-qq", "--no-install-recommends", pkg},
	} {
		cmd := exec.CommandContext(ctx, "apt-get", args...)
		cmd.Env = append(os.Environ(), "DEBIAN_FRONTEND=noninteractive")
		cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
		if err := cmd.Run(); err != nil {
			return "", fmt.Errorf("apt-get %s: %w", args[0], err)
		}
	}
	return exec.LookPath(binary)
}
