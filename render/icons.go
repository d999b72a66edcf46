package render

// Icons mark what a line is about, the same in every language: a reader scans
// for them before reading words.
const (
	iconDay        = "📅"
	iconWeek       = "🗓"
	iconHomework   = "📝"
	iconGrades     = "📊"
	iconGrade      = "⭐"
	iconFinal      = "🏁"
	iconTopic      = "📖"
	iconNote       = "ℹ️"
	iconCancelled  = "❌"
	iconMovedTo    = "↪️"
	iconMovedFrom  = "↩️"
	iconSubstitute = "🔄"
	iconRoom       = "🚪"
	iconAbsent     = "🚫"
	iconLate       = "⏰"
	iconPraise     = "👍"
	iconWarning    = "⚠️"
	iconRemark     = "💬"
	iconEvents     = "📌"
	iconMeeting    = "👥"
	iconEvent      = "🎉"
	iconTime       = "🕒"
	iconPlace      = "📍"
	iconAgenda     = "📋"
	iconYes        = "✅"
	iconNo         = "🙅"
	iconMissed     = "📚"
	iconAttendance = "🩺"
)
