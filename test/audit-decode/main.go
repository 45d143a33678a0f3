// Command audit-decode reads an audit log written by kube-auth-mock and decodes every line with
// k8s.io/apiserver's own audit.k8s.io/v1 types, strictly (an unknown or repeated field is an error), then
// encodes the event again with the codec kube-apiserver's json log backend uses
// (k8s.io/apiserver/plugin/pkg/audit/log/backend.go: audit.Codecs.LegacyCodec(v1)) and requires the very same
// line back: same fields, same order, same omissions. It prints how many events of each stage it read; with
// -legacy, each event as kube's legacy log format writes it (audit.EventString) instead. A file named *.gz (a
// rotated log compressed by --audit-log-compress) is read through gzip.
package main

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/serializer"
	auditinternal "k8s.io/apiserver/pkg/apis/audit"
	auditv1 "k8s.io/apiserver/pkg/apis/audit/v1"
	"k8s.io/apiserver/pkg/audit"
)

func main() {
	legacy := flag.Bool("legacy", false, "print each event as audit.EventString instead of the stage counts")
	flag.Parse()
	if flag.NArg() != 1 {
		fmt.Fprintln(os.Stderr, "usage: audit-decode [-legacy] AUDIT_LOG")
		os.Exit(2)
	}
	f, err := os.Open(flag.Arg(0))
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	defer f.Close()
	var in io.Reader = f
	if strings.HasSuffix(flag.Arg(0), ".gz") {
		gz, err := gzip.NewReader(f)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		in = gz
	}

	strict := serializer.NewCodecFactory(audit.Scheme, serializer.EnableStrict).UniversalDecoder(auditv1.SchemeGroupVersion)
	encoder := audit.Codecs.LegacyCodec(auditv1.SchemeGroupVersion)
	stages := map[auditinternal.Stage]int{}
	scanner := bufio.NewScanner(in)
	scanner.Buffer(make([]byte, 0, 1<<20), 16<<20)
	n := 0
	for scanner.Scan() {
		n++
		line := scanner.Bytes()
		ev := &auditinternal.Event{}
		if _, _, err := strict.Decode(line, nil, ev); err != nil {
			fmt.Fprintf(os.Stderr, "line %d: %v\n", n, err)
			os.Exit(1)
		}
		if ev.AuditID == "" || ev.Stage == "" || ev.Level == "" || ev.RequestReceivedTimestamp.IsZero() || ev.StageTimestamp.IsZero() {
			fmt.Fprintf(os.Stderr, "line %d: auditID, stage, level or a timestamp is missing\n", n)
			os.Exit(1)
		}
		again, err := runtime.Encode(encoder, ev)
		if err != nil {
			fmt.Fprintf(os.Stderr, "line %d: encoding again: %v\n", n, err)
			os.Exit(1)
		}
		if !bytes.Equal(bytes.TrimRight(again, "\n"), line) {
			fmt.Fprintf(os.Stderr, "line %d differs from kube's encoding\n mock: %s\n kube: %s", n, line, again)
			os.Exit(1)
		}
		stages[ev.Stage]++
		if *legacy {
			fmt.Println(audit.EventString(ev))
		}
	}
	if err := scanner.Err(); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	if *legacy {
		return
	}
	fmt.Printf("%d events: %d RequestReceived, %d ResponseStarted, %d ResponseComplete, %d Panic\n", n,
		stages[auditinternal.StageRequestReceived], stages[auditinternal.StageResponseStarted], stages[auditinternal.StageResponseComplete], stages[auditinternal.StagePanic])
}
