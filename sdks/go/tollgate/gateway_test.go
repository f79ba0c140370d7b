package tollgate_test

// The real gateway for the tests: the built `tollgate` binary ($TOLLGATE_BIN, else
// <repo>/target/debug/tollgate, else $CARGO_TARGET_DIR/debug/tollgate) on port 0. Its models need
// no provider: `demo` answers with mock_response (priced), `limited` with the mock's 429, and
// `slow` points at a local listener that accepts connections and never answers (for deadlines).

import (
	"bufio"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

const (
	masterKey = "sk-sdk-test-master-key-0123456789"
	demoReply = "Hello from Tollgate!"
)

var gatewayTarget string

func TestMain(m *testing.M) {
	stop, err := startGateway()
	if err != nil {
		fmt.Fprintln(os.Stderr, "cannot start the gateway:", err)
		os.Exit(1)
	}
	code := m.Run()
	stop()
	os.Exit(code)
}

func gatewayBinary() (string, error) {
	var candidates []string
	if bin := os.Getenv("TOLLGATE_BIN"); bin != "" {
		candidates = append(candidates, bin)
	}
	if repo, err := filepath.Abs("../../.."); err == nil {
		candidates = append(candidates, filepath.Join(repo, "target", "debug", "tollgate"))
	}
	if dir := os.Getenv("CARGO_TARGET_DIR"); dir != "" {
		candidates = append(candidates, filepath.Join(dir, "debug", "tollgate"))
	}
	for _, path := range candidates {
		if info, err := os.Stat(path); err == nil && !info.IsDir() {
			return path, nil
		}
	}
	return "", fmt.Errorf("tollgate binary not found (tried %s); run `cargo build -p tollgate --bin tollgate` or set TOLLGATE_BIN",
		strings.Join(candidates, ", "))
}

// silentUpstream accepts connections and never answers.
func silentUpstream() (string, func(), error) {
	listener, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", nil, err
	}
	go func() {
		var held []net.Conn // kept open, never answered
		for {
			conn, err := listener.Accept()
			if err != nil {
				return
			}
			held = append(held, conn)
		}
	}()
	return "http://" + listener.Addr().String() + "/v1", func() { _ = listener.Close() }, nil
}

const configTemplate = `model_list:
  - model_name: demo
    litellm_params:
      model: openai/demo
      mock_response: "%s"
      input_cost_per_token: 0.001
      output_cost_per_token: 0.002
  - model_name: limited
    litellm_params:
      model: openai/limited
      mock_response: "litellm.RateLimitError"
  - model_name: slow
    litellm_params:
      model: openai/slow
      api_base: "%s"
      api_key: sk-upstream-never-called
router_settings:
  num_retries: 0
general_settings:
  master_key: %s
`

var listening = regexp.MustCompile(`listening on (?:https?://)?(\S+)`)
var ansi = regexp.MustCompile("\x1b\\[[0-9;]*m")

func startGateway() (func(), error) {
	binary, err := gatewayBinary()
	if err != nil {
		return nil, err
	}
	upstream, closeUpstream, err := silentUpstream()
	if err != nil {
		return nil, err
	}
	dir, err := os.MkdirTemp("", "tollgate-go-sdk-")
	if err != nil {
		return nil, err
	}
	config := fmt.Sprintf(configTemplate, demoReply, upstream, masterKey)
	if err := os.WriteFile(filepath.Join(dir, "config.yaml"), []byte(config), 0o600); err != nil {
		return nil, err
	}
	cmd := exec.Command(binary, "--config", "config.yaml", "--host", "127.0.0.1", "--port", "0")
	cmd.Dir = dir
	cmd.Env = gatewayEnv(dir)
	out, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	cmd.Stderr = cmd.Stdout
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	found := make(chan string, 1)
	var logMu sync.Mutex
	var logLines []string
	go func() {
		scanner := bufio.NewScanner(out)
		for scanner.Scan() {
			line := ansi.ReplaceAllString(scanner.Text(), "")
			logMu.Lock()
			logLines = append(logLines, line)
			logMu.Unlock()
			if m := listening.FindStringSubmatch(line); m != nil {
				select {
				case found <- strings.TrimRight(m[1], ".,;"):
				default:
				}
			}
		}
	}()
	stop := func() {
		_ = cmd.Process.Signal(syscall.SIGTERM)
		done := make(chan struct{})
		go func() { _ = cmd.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(30 * time.Second):
			_ = cmd.Process.Kill()
		}
		closeUpstream()
		_ = os.RemoveAll(dir)
	}
	select {
	case gatewayTarget = <-found:
		return stop, nil
	case <-time.After(60 * time.Second):
		stop()
		logMu.Lock()
		defer logMu.Unlock()
		return nil, fmt.Errorf("no 'listening on' line within 60s; log:\n%s", strings.Join(logLines, "\n"))
	}
}

func gatewayEnv(home string) []string {
	drop := map[string]bool{"DATABASE_URL": true, "REDIS_URL": true, "REDIS_HOST": true, "REDIS_PORT": true,
		"REDIS_PASSWORD": true, "LITELLM_MASTER_KEY": true, "HTTP_PROXY": true, "HTTPS_PROXY": true, "ALL_PROXY": true}
	var env []string
	for _, kv := range os.Environ() {
		name, _, _ := strings.Cut(kv, "=")
		if !drop[strings.ToUpper(name)] {
			env = append(env, kv)
		}
	}
	return append(env, "TOLLGATE_MASTER_KEY="+masterKey, "NO_COLOR=1", "HOME="+home, "RUST_LOG=info")
}
