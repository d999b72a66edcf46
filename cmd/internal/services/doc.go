// Package services starts throwaway PostgreSQL and Redis servers from the
// installed binaries on free loopback ports, each in a temporary folder: for
// devenv (make test, demo, bench) and for the fault runs (make faults), which
// also restart them under a running Dnevnik.
package services
