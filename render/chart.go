package render

import (
	"bytes"
	"fmt"
	"image/color"
	"strconv"
	"time"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"

	"github.com/dnevnik/dnevnik/diary"
	"github.com/dnevnik/dnevnik/locales"
)

// A chart of a subject's grades through a term, sent as a photo: the grades
// as points by date, the running weighted average as a line, the class
// average as a dashed line where the diary shows it. Sized and lettered to
// be read on a phone without zooming.

// ChartWidth and ChartHeight are the chart's size in pixels: Telegram shows
// a photo of this shape across a phone's width.
const (
	ChartWidth  = 1200
	ChartHeight = 800
	chartDPI    = 96
	// legendRoom is the share of the scale's span left above the top grade.
	legendRoom = 0.4
)

// chartFont is Liberation Sans, which gonum plot embeds (SIL Open Font
// Licence) and which has the Cyrillic letters.
func chartFont(size vg.Length) font.Font {
	return font.Font{Typeface: "Liberation", Variant: "Sans", Size: size}
}

var (
	chartGrades  = color.RGBA{R: 0x1f, G: 0x77, B: 0xb4, A: 0xff}
	chartAverage = color.RGBA{R: 0xd6, G: 0x27, B: 0x28, A: 0xff}
	chartClass   = color.RGBA{R: 0x55, G: 0x55, B: 0x55, A: 0xff}
)

// GradeChart draws the page's grades as a PNG of ChartWidth × ChartHeight,
// its title, axes and legend in p's language.
func GradeChart(p *locales.Printer, page diary.SubjectTerm) ([]byte, error) {
	s := page.Grades
	start := page.Term.Start
	day := func(d time.Time) float64 { return d.Sub(start).Hours() / 24 }

	pl := plot.New()
	pl.Title.Text = s.Subject + " · " + page.Term.Title
	pl.Title.TextStyle.Font = chartFont(28)
	pl.Title.Padding = 12
	pl.X.Label.Text = p.T("grades_chart_date")
	pl.Y.Label.Text = p.T("grades_chart_grade")
	for _, a := range []*plot.Axis{&pl.X, &pl.Y} {
		a.Label.TextStyle.Font = chartFont(22)
		a.Tick.Label.Font = chartFont(20)
		a.LineStyle.Width = 2
	}
	pl.Legend.TextStyle.Font = chartFont(20)
	pl.Legend.Top = true
	pl.Legend.Left = true
	pl.Legend.Padding = 4
	pl.Legend.ThumbnailWidth = 40

	school := page.Access.School
	// Room above the top grade for the legend's three lines, so that it
	// never hides a point.
	pl.Y.Min, pl.Y.Max = float64(school.GradeMin)-0.3, float64(school.GradeMax)+legendRoom*float64(school.GradeMax-school.GradeMin)
	pl.Y.Tick.Marker = plot.TickerFunc(func(_, _ float64) []plot.Tick {
		var ticks []plot.Tick
		for v := school.GradeMin; v <= school.GradeMax; v++ {
			ticks = append(ticks, plot.Tick{Value: float64(v), Label: strconv.Itoa(v)})
		}
		return ticks
	})
	pl.X.Min, pl.X.Max = -1, day(page.Term.End)+1
	pl.X.Tick.Marker = plot.TickerFunc(func(_, _ float64) []plot.Tick {
		return weekTicks(p, page.Term.Start, page.Term.End, day)
	})
	grid := plotter.NewGrid()
	grid.Vertical.Color = color.Gray{Y: 0xdd}
	grid.Horizontal.Color = color.Gray{Y: 0xdd}
	pl.Add(grid)

	points := make(plotter.XYs, len(s.Grades))
	running := make(plotter.XYs, len(s.Grades))
	for i, g := range s.Grades {
		points[i] = plotter.XY{X: day(g.Date), Y: g.Score}
		running[i] = plotter.XY{X: day(g.Date), Y: diary.WeightedAverage(s.Grades[:i+1])}
	}
	if s.ClassAverageShown {
		class, err := plotter.NewLine(plotter.XYs{{X: pl.X.Min, Y: s.ClassAverage}, {X: pl.X.Max, Y: s.ClassAverage}})
		if err != nil {
			return nil, fmt.Errorf("class average line: %w", err)
		}
		class.Color, class.Width, class.Dashes = chartClass, 3, []vg.Length{12, 8}
		pl.Add(class)
		pl.Legend.Add(p.T("grades_chart_class_average", "Average", average(p, s.ClassAverage)), class)
	}
	avg, err := plotter.NewLine(running)
	if err != nil {
		return nil, fmt.Errorf("average line: %w", err)
	}
	avg.Color, avg.Width = chartAverage, 4
	dots, err := plotter.NewScatter(points)
	if err != nil {
		return nil, fmt.Errorf("grade points: %w", err)
	}
	dots.GlyphStyle = draw.GlyphStyle{Color: chartGrades, Radius: 9, Shape: draw.CircleGlyph{}}
	pl.Add(avg, dots)
	pl.Legend.Add(p.T("grades_chart_average", "Average", average(p, s.Average)), avg)
	pl.Legend.Add(p.T("grades_chart_grades"), dots)

	const inch = vg.Inch / chartDPI // one pixel
	canvas := vgimg.NewWith(vgimg.UseWH(ChartWidth*inch, ChartHeight*inch), vgimg.UseDPI(chartDPI),
		vgimg.UseBackgroundColor(color.White))
	pl.Draw(draw.New(canvas))
	var out bytes.Buffer
	if _, err := (vgimg.PngCanvas{Canvas: canvas}).WriteTo(&out); err != nil {
		return nil, fmt.Errorf("encode the chart: %w", err)
	}
	return out.Bytes(), nil
}

// weekTicks marks each Monday of the term with its date, "9.11" or "11/9".
func weekTicks(p *locales.Printer, start, end time.Time, day func(time.Time) float64) []plot.Tick {
	var ticks []plot.Tick
	monday, _ := diary.WeekOf(start)
	if monday.Before(start) {
		monday = monday.AddDate(0, 0, 7)
	}
	for d := monday; !d.After(end); d = d.AddDate(0, 0, 7) {
		label := p.T("grades_chart_day", "Day", strconv.Itoa(d.Day()), "Month", strconv.Itoa(int(d.Month())))
		ticks = append(ticks, plot.Tick{Value: day(d), Label: label})
	}
	return ticks
}

// ChartCaption is the photo's caption: "📈 <b>Математика</b> · 2 четверть · Дарья".
func ChartCaption(p *locales.Printer, page diary.SubjectTerm, child string) string {
	return heading(iconChart, field(page.Grades.Subject), child, field(page.Term.Title))
}
