package bottest

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"regexp"
	"time"

	"github.com/go-telegram/bot/models"
)

// webhookRetryDelay is how long delivery waits after the bot's endpoint fails;
// Telegram waits longer, tests want it short.
const webhookRetryDelay = 100 * time.Millisecond

// webhook is where updates go instead of getUpdates while url is set.
type webhook struct {
	url           string
	secret        string // sent as X-Telegram-Bot-Api-Secret-Token
	lastError     string
	lastErrorDate time.Time
	// conns holds a token per post open at once (PostText): at most
	// max_connections, as Telegram opens.
	conns chan struct{}
}

// defaultMaxConnections is Telegram's max_connections when setWebhook names none.
const defaultMaxConnections = 40

// secretToken is what Telegram allows in a webhook's secret_token.
var secretToken = regexp.MustCompile(`^[A-Za-z0-9_-]{1,256}$`)

// setWebhook starts delivering updates to url. Unlike Telegram, any URL will
// do, so tests can use an http httptest server.
func (s *Server) setWebhook(req *request) (any, error) {
	secret := req.params["secret_token"]
	if secret != "" && !secretToken.MatchString(secret) {
		return nil, badRequest("secret token contains unallowed characters")
	}
	conns, err := req.int("max_connections")
	switch {
	case err != nil:
		return nil, err
	case conns == 0:
		conns = defaultMaxConnections
	case conns < 1 || conns > 100:
		return nil, badRequest("max_connections must be from 1 to 100")
	}
	hook := webhook{url: req.params["url"], secret: secret, conns: make(chan struct{}, conns)}
	return s.replaceWebhook(hook, req.flag("drop_pending_updates"))
}

func (s *Server) deleteWebhook(req *request) (any, error) {
	return s.replaceWebhook(webhook{}, req.flag("drop_pending_updates"))
}

func (s *Server) replaceWebhook(hook webhook, dropPending bool) (any, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.webhook = hook
	if dropPending {
		s.pending = nil
	}
	s.notify()
	return true, nil
}

func (s *Server) getWebhookInfo(*request) (any, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	info := models.WebhookInfo{URL: s.webhook.url, PendingUpdateCount: len(s.pending), LastErrorMessage: s.webhook.lastError}
	if s.webhook.lastError != "" {
		info.LastErrorDate = int(s.webhook.lastErrorDate.Unix())
	}
	return info, nil
}

// deliverUpdates POSTs pending updates to the webhook one at a time, in
// order, until Close. An update leaves the queue once the bot answers 2xx;
// otherwise it is sent again after webhookRetryDelay.
func (s *Server) deliverUpdates() {
	defer close(s.delivered)
	for {
		var hook webhook
		var update models.Update
		err := s.await(s.ctx, func() bool {
			s.mu.Lock()
			defer s.mu.Unlock()
			if s.webhook.url == "" || len(s.pending) == 0 {
				return false
			}
			hook, update = s.webhook, s.pending[0]
			return true
		})
		if err != nil {
			return
		}
		if _, err := postUpdate(s.ctx, hook, update); err != nil {
			s.webhookFailed(hook, err)
			select {
			case <-time.After(webhookRetryDelay):
			case <-s.ctx.Done():
			}
			continue
		}
		s.mu.Lock()
		if len(s.pending) > 0 && s.pending[0].ID == update.ID { // not dropped meanwhile
			s.pending = s.pending[1:]
			s.notify()
		}
		s.mu.Unlock()
	}
}

// webhookFailed notes the error for getWebhookInfo, unless the webhook has changed since.
func (s *Server) webhookFailed(hook webhook, err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.webhook.url == hook.url {
		s.webhook.lastError, s.webhook.lastErrorDate = err.Error(), time.Now()
	}
}

// webhookClient posts updates; it keeps a connection per post open at once,
// up to Telegram's most max_connections.
var webhookClient = &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 100}}

// postUpdate posts one update to the webhook and returns the HTTP status;
// an error for no answer or one that is not 2xx.
func postUpdate(ctx context.Context, hook webhook, update models.Update) (int, error) {
	body, err := json.Marshal(&update)
	if err != nil {
		return 0, fmt.Errorf("encode update %d: %w", update.ID, err)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, hook.url, bytes.NewReader(body))
	if err != nil {
		return 0, fmt.Errorf("webhook request: %w", err)
	}
	req.Header.Set("Content-Type", "application/json")
	if hook.secret != "" {
		req.Header.Set("X-Telegram-Bot-Api-Secret-Token", hook.secret)
	}
	resp, err := webhookClient.Do(req)
	if err != nil {
		return 0, fmt.Errorf("post update %d: %w", update.ID, err)
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, resp.Body) // drained so the connection is reused
	if resp.StatusCode/100 != 2 {
		return resp.StatusCode, fmt.Errorf("wrong response from the webhook: %s", resp.Status)
	}
	return resp.StatusCode, nil
}

// ErrNoWebhook is PostText's error while the bot has no webhook set.
var ErrNoWebhook = errors.New("bottest: no webhook is set")

// PostText has the user send text and posts the update straight to the
// webhook, now, instead of queueing it: the caller keeps its own schedule, as
// a load test does. As with Telegram, at most the webhook's max_connections
// posts (40 unless setWebhook said) are open at once; a post waits for its
// turn, within ctx. It returns the webhook's HTTP status and an error for no
// answer or one that is not 2xx: a refused update is not posted again, that
// is for the caller to do (Telegram does, later). posted is when the post
// had its connection and went out.
func (s *Server) PostText(ctx context.Context, from User, text string) (status int, posted time.Time, err error) {
	s.mu.Lock()
	hook := s.webhook
	update := s.textUpdate(from, text)
	s.number(&update)
	s.mu.Unlock()
	if hook.url == "" {
		return 0, time.Time{}, ErrNoWebhook
	}
	ctx, cancel := s.bind(ctx)
	defer cancel()
	select {
	case hook.conns <- struct{}{}:
		defer func() { <-hook.conns }()
	case <-ctx.Done():
		return 0, time.Time{}, fmt.Errorf("post update %d: waiting for a connection: %w", update.ID, ctx.Err())
	}
	posted = time.Now()
	status, err = postUpdate(ctx, hook, update)
	return status, posted, err
}
