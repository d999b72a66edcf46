package webapp

import (
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"html/template"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"strings"

	"github.com/dnevnik/dnevnik/locales"
)

//go:embed templates/*.html
var templateFiles embed.FS

var templates = template.Must(template.New("").ParseFS(templateFiles, "templates/*.html"))

//go:embed assets
var assetFiles embed.FS

// assets are the app's files, each with the tag of its content: the page
// names each by its tag (asset), so a browser keeps it for a year and a new
// build's file has a new address.
var assets = func() map[string]asset {
	m := map[string]asset{}
	files, _ := fs.ReadDir(assetFiles, "assets")
	for _, f := range files {
		data, _ := assetFiles.ReadFile("assets/" + f.Name())
		sum := sha256.Sum256(data)
		m[f.Name()] = asset{data: data, tag: hex.EncodeToString(sum[:6]),
			contentType: mime.TypeByExtension(path.Ext(f.Name()))}
	}
	return m
}()

type asset struct {
	data        []byte
	tag         string
	contentType string
}

// assetURL is where the page finds an asset: its name and its tag.
func assetURL(name string) string { return Path + "assets/" + name + "?v=" + assets[name].tag }

// serveAsset serves an embedded asset, for a year when asked by its tag.
func serveAsset(w http.ResponseWriter, r *http.Request) {
	a, ok := assets[r.PathValue("name")]
	if !ok {
		http.NotFound(w, r)
		return
	}
	w.Header().Set("Content-Type", a.contentType)
	w.Header().Set("ETag", `"`+a.tag+`"`)
	if r.URL.Query().Get("v") == a.tag {
		w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
	} else {
		w.Header().Set("Cache-Control", "no-cache")
	}
	if strings.Contains(r.Header.Get("If-None-Match"), a.tag) {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	w.Write(a.data)
}

// shell is the page Telegram opens: no one's data, only the script that
// reads initData (from telegram-web-app.js, or from the address Telegram
// opened when that script cannot load) and asks for the first screen. It
// speaks the language Telegram gives in initData once it runs; before, both.
func (s *Server) shell(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-cache")
	data := map[string]any{"Path": Path, "CSS": assetURL("app.css"), "JS": assetURL("app.js"),
		"InitDataHeader": InitDataHeader, "Loading": loading()}
	if err := writeTemplate(w, "shell", data); err != nil {
		s.opts.Log.Error("web app page", "err", err)
	}
}

// loading is the page's first words, in every language.
func loading() string {
	var words []string
	for _, lang := range locales.Languages {
		words = append(words, locales.For(lang).T("webapp_loading"))
	}
	return strings.Join(words, " · ")
}

// home is the first screen: a family's children, or a teacher's classes; a
// family with one child sees its week at once.
func (s *Server) home(w http.ResponseWriter, r *http.Request, c *caller) error {
	if c.Family && len(c.live()) == 1 {
		return s.week(w, r, c)
	}
	data := map[string]any{"C": c}
	if !c.Family {
		_, classes, err := s.store.TeacherClasses(r.Context(), c.Account.ID)
		if err != nil {
			return err
		}
		data["Classes"] = classes
	}
	return writeTemplate(w, "home", data)
}
