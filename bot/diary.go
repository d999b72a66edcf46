package bot

import (
	"context"
	"time"

	"github.com/dnevnik/dnevnik/diary"
)

// What the bot needs of the diary, by what it is about; *diary.Store is all
// of it.
type (
	// Accounts is what the bot keeps of a Telegram user: the account, its
	// settings and children, its conversation in several steps, its forgetting;
	// and the diary's clock.
	Accounts interface {
		Visit(ctx context.Context, telegramUserID, chatID int64, language string, children bool) (diary.Visit, error)
		SetLanguage(ctx context.Context, account diary.AccountID, language string) error
		SaveSettings(ctx context.Context, account diary.AccountID, st diary.Settings) error
		SetActingAs(ctx context.Context, account diary.AccountID, role string) error
		ChoosePupil(ctx context.Context, account diary.AccountID, pupil diary.PersonID) (diary.PupilAccess, error)
		Children(ctx context.Context, account diary.AccountID) ([]diary.Child, error)
		PupilAccess(ctx context.Context, account diary.AccountID, pupil diary.PersonID) (diary.PupilAccess, error)
		Now() time.Time
		Today(school diary.School) time.Time
		Conversation(ctx context.Context, account diary.AccountID) (c diary.Conversation, ok bool, err error)
		SetConversation(ctx context.Context, account diary.AccountID, flow string, state any) error
		EndConversation(ctx context.Context, account diary.AccountID) error
		TakeConversation(ctx context.Context, account diary.AccountID, flow string) (bool, error)
		Forget(ctx context.Context, account diary.AccountID) (diary.Forgotten, error)
	}

	// Links is linking by code, sharing with trusted people, and unlinking.
	Links interface {
		Redeem(ctx context.Context, account diary.AccountID, telegramUserID int64, typed string) (diary.Redeemed, error)
		CodeFailuresLastMinute(ctx context.Context) (int, error)
		Invite(ctx context.Context, account diary.AccountID, pupil diary.PersonID) (diary.IssuedCode, error)
		Sharing(ctx context.Context, account diary.AccountID, pupil diary.PersonID) (diary.Sharing, error)
		RevokeTrusted(ctx context.Context, account diary.AccountID, pupil diary.PersonID, link int64) error
		CancelInvitation(ctx context.Context, account diary.AccountID, pupil diary.PersonID, invitation int64) error
		Unlink(ctx context.Context, account diary.AccountID, pupil diary.PersonID) error
		UnlinkTeacher(ctx context.Context, account diary.AccountID) error
	}

	// Views are what a family reads, each taking the access the request
	// holds, and what a family writes: a signature, an answer to a meeting.
	Views interface {
		Days(ctx context.Context, a diary.PupilAccess, from, to time.Time) (diary.Schedule, error)
		TermGrades(ctx context.Context, a diary.PupilAccess, day time.Time) (diary.GradeReport, error)
		SubjectGrades(ctx context.Context, a diary.PupilAccess, class diary.ClassID, term int64) (diary.SubjectTerm, error)
		CurrentTerm(ctx context.Context, a diary.PupilAccess, day time.Time) (diary.Session, error)
		Attendance(ctx context.Context, a diary.PupilAccess, from, to time.Time) (diary.AttendanceReport, error)
		Remarks(ctx context.Context, a diary.PupilAccess, from, to time.Time) (diary.RemarkList, error)
		Homework(ctx context.Context, a diary.PupilAccess, from, to time.Time) (diary.HomeworkList, error)
		UpcomingEvents(ctx context.Context, a diary.PupilAccess, within time.Duration) (diary.EventList, error)
		Missed(ctx context.Context, a diary.PupilAccess, from, to time.Time) (diary.MissedReport, error)
		SignWeek(ctx context.Context, account diary.AccountID, pupil diary.PersonID, monday time.Time) error
		AnswerMeeting(ctx context.Context, account diary.AccountID, event int64, yes bool) error
	}

	// Teaching is what a teacher reads and writes: lessons, marks, homework,
	// lesson changes, announcements, meetings, signatures. Each takes the
	// access the request checked once (TeacherClasses, LessonAccess,
	// MeetingAccess).
	Teaching interface {
		TeacherClasses(ctx context.Context, account diary.AccountID) (diary.TeacherAccess, []diary.TeacherClass, error)
		TeacherLessons(ctx context.Context, account diary.AccountID, day time.Time) ([]diary.TeacherLesson, error)
		ClassLessons(ctx context.Context, a diary.TeacherAccess, day time.Time) ([]diary.TeacherLesson, error)
		LessonAccess(ctx context.Context, account diary.AccountID, ref diary.LessonRef) (diary.LessonAccess, error)
		ClassRoster(ctx context.Context, a diary.LessonAccess) (diary.Roster, error)
		SetGrade(ctx context.Context, a diary.LessonAccess, pupil diary.PersonID, score int) error
		ClearGrade(ctx context.Context, a diary.LessonAccess, pupil diary.PersonID) error
		SetAttendance(ctx context.Context, a diary.LessonAccess, pupil diary.PersonID, status string) error
		AddRemark(ctx context.Context, a diary.LessonAccess, pupil diary.PersonID, kind, text string) (int64, error)
		UndoRemark(ctx context.Context, a diary.LessonAccess, pupil diary.PersonID, remark int64) error
		NextLesson(ctx context.Context, a diary.TeacherAccess) (time.Time, error)
		AddHomework(ctx context.Context, a diary.TeacherAccess, h diary.NewHomework) (diary.AddedHomework, error)
		FindTeachers(ctx context.Context, a diary.TeacherAccess, name string) ([]diary.Person, error)
		AddLessonChange(ctx context.Context, a diary.TeacherAccess, c diary.NewLessonChange) (diary.AddedLessonChange, error)
		AnnouncementRecipients(ctx context.Context, t diary.TeacherAccess, toPupils bool) (int, error)
		Announce(ctx context.Context, t diary.TeacherAccess, a diary.Announcement) (int64, error)
		CreateMeeting(ctx context.Context, t diary.TeacherAccess, m diary.NewMeeting) (int64, error)
		MeetingAccess(ctx context.Context, account diary.AccountID, id int64) (diary.MeetingAccess, error)
		ChangeMeeting(ctx context.Context, a diary.MeetingAccess, c diary.MeetingChange) error
		CancelMeeting(ctx context.Context, a diary.MeetingAccess) error
		TeacherMeetings(ctx context.Context, account diary.AccountID) ([]diary.Meeting, error)
		ClassSignatures(ctx context.Context, a diary.TeacherAccess, monday time.Time) ([]diary.PupilSignatures, error)
		HomeroomWeek(ctx context.Context, a diary.TeacherAccess, day time.Time) (diary.ClassWeek, error)
	}

	// Messages are what families and teachers write to each other
	// (messages.go): each write asks the access rule again in its transaction.
	Messages interface {
		MessageTeachers(ctx context.Context, a diary.PupilAccess) ([]diary.MessageTeacher, error)
		WriteToTeacher(ctx context.Context, a diary.PupilAccess, teacher diary.PersonID, text string, chatMessage int) (diary.Written, error)
		TeacherThread(ctx context.Context, account diary.AccountID, message int64) (diary.Thread, error)
		AnswerFamily(ctx context.Context, account diary.AccountID, message int64, text string) ([]diary.Pending, error)
		CloseThread(ctx context.Context, account diary.AccountID, thread int64) error
		MuteFamily(ctx context.Context, account diary.AccountID, thread int64) (time.Time, error)
		SetOfficeHours(ctx context.Context, account diary.AccountID, h diary.OfficeHours) error
		OfficeHoursOf(ctx context.Context, account diary.AccountID) (diary.OfficeHours, error)
	}

	// Diary is all the bot needs of the diary.
	Diary interface {
		Accounts
		Links
		Views
		Teaching
		Calendars
		Messages
	}
)

var _ Diary = (*diary.Store)(nil)
