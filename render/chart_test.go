package render

import (
	"bytes"
	"image"
	_ "image/png" // image.Decode reads PNG
	"testing"

	"github.com/dnevnik/dnevnik/locales"
)

// The chart is a PNG of the size a phone shows across its width, and its
// words are the reader's: the Russian and the English drawing differ.
func TestGradeChart(t *testing.T) {
	drawn := map[string][]byte{}
	for _, lang := range locales.Languages {
		data, err := GradeChart(locales.For(lang), mathTerm())
		if err != nil {
			t.Fatalf("%s: %v", lang, err)
		}
		img, format, err := image.Decode(bytes.NewReader(data))
		if err != nil || format != "png" {
			t.Fatalf("%s: decode: %v (format %q)", lang, err, format)
		}
		if size := img.Bounds().Size(); size != (image.Point{X: ChartWidth, Y: ChartHeight}) {
			t.Errorf("%s: chart is %v, want %dx%d", lang, size, ChartWidth, ChartHeight)
		}
		drawn[lang] = data
	}
	if bytes.Equal(drawn["ru"], drawn["en"]) {
		t.Error("the Russian and English charts are the same picture: the labels do not come from the locale")
	}
}
