package bottest

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
)

// request is one call's parameters, as the handlers read them.
type request struct {
	ctx    context.Context
	params map[string]string
	files  map[string]File
}

// readParams reads a call's parameters: multipart/form-data as go-telegram/bot
// sends them (uploads go to files), or a URL-encoded form.
func readParams(r *http.Request) (map[string]string, map[string]File, error) {
	params := map[string]string{}
	files := map[string]File{}
	reader, err := r.MultipartReader()
	if errors.Is(err, http.ErrNotMultipart) {
		if err := r.ParseForm(); err != nil {
			return nil, nil, badRequest("can't parse the form: " + err.Error())
		}
		for name, values := range r.Form {
			params[name] = values[0]
		}
		return params, files, nil
	}
	if err != nil {
		return nil, nil, badRequest("can't parse the form: " + err.Error())
	}
	for {
		part, err := reader.NextPart()
		if errors.Is(err, io.EOF) { // also a body with no parts at all, as a call without parameters has
			return params, files, nil
		}
		if err != nil {
			return nil, nil, badRequest("can't parse the form: " + err.Error())
		}
		data, err := io.ReadAll(part)
		if err != nil {
			return nil, nil, badRequest(fmt.Sprintf("can't read field %q: %v", part.FormName(), err))
		}
		if part.FileName() != "" {
			files[part.FormName()] = File{Name: part.FileName(), Data: data}
		} else {
			params[part.FormName()] = string(data)
		}
	}
}

// int reads an optional integer parameter: 0 when absent.
func (r *request) int(name string) (int64, error) {
	value := r.params[name]
	if value == "" {
		return 0, nil
	}
	n, err := strconv.ParseInt(value, 10, 64)
	if err != nil {
		return 0, badRequest(fmt.Sprintf("field %q must be an integer", name))
	}
	return n, nil
}

// flag reads an optional boolean parameter.
func (r *request) flag(name string) bool {
	value, _ := strconv.ParseBool(r.params[name])
	return value
}

// chatID reads the required chat_id. The fake knows chats by number only, not
// by @username.
func (r *request) chatID() (int64, error) {
	value := r.params["chat_id"]
	if value == "" {
		return 0, badRequest("chat_id is empty")
	}
	id, err := strconv.ParseInt(value, 10, 64)
	if err != nil || id == 0 {
		return 0, badRequest("chat not found")
	}
	return id, nil
}

// messageRef reads the chat_id and message_id that name a message.
func (r *request) messageRef() (int64, int, error) {
	chatID, err := r.chatID()
	if err != nil {
		return 0, 0, err
	}
	id, err := r.int("message_id")
	if err != nil {
		return 0, 0, err
	}
	return chatID, int(id), nil
}
