// Package oneroster imports a folder of OneRoster 1.1 CSV bulk files: the roster
// (orgs, academicSessions, courses, classes, users, enrollments) and the gradebook
// (categories, lineItems, results).
//
// # Reading
//
// Columns are read by header name, in any order and any case; unknown columns are
// ignored, and the names OneRoster 1.0 used are accepted (agents for
// agentSourcedIds, grade for grades, schoolYearId for schoolYearSourcedId). Files are
// UTF-8 with or without a byte order mark, with CRLF or LF line ends and quoted
// fields; they may lack a trailing newline or hold only a header. A file missing
// from the folder, or marked absent in manifest.csv, is skipped. An empty status
// reads as active; tobedeleted (and 1.0's inactive) deactivates the record.
// demographics.csv is never read, nor are e-mail addresses, phones, usernames,
// identifiers or passwords in users.csv: the diary stores names only.
//
// # Mapping
//
//	orgs              type school: schools (time_zone from ext_timezone, else Europe/Moscow);
//	                  other types are not stored
//	academicSessions  academic_sessions: schoolYear, term, semester, gradingPeriod become
//	                  school_year, term, semester, grading_period; parentSourcedId the parent;
//	                  schoolYear the school year (without it, the end date's year)
//	courses           not stored: they give their classes a subject and a school year
//	classes           classes: homeroom stays homeroom, scheduled becomes section; grades
//	                  (or grade) the grade level; the subject is the first of the class's
//	                  subjects, else the course's, else the course's title, added to the
//	                  school's subjects; the school year is the one above the first term in
//	                  termSourcedIds the database knows, else the course's
//	users             people: student, teacher, parent/guardian/relative (guardian) and
//	                  administrator/aide/proctor (staff); the school is the first of
//	                  orgSourcedIds that is a school
//	                  guardianships: the agents of a pupil are its guardians and the agents
//	                  of a guardian its children, both read, one link each; the relation is
//	                  the guardian's role. In a bulk file a pupil's links are all it has:
//	                  links it no longer lists are removed
//	enrollments       enrollments of students, teachers and aides (other roles are skipped
//	                  with a warning), with primary, beginDate and endDate
//	categories        grade_categories, weighed by ext_weight (else 1)
//	lineItems         assignments: homework when the category's title is one of the homework
//	                  categories (Options.HomeworkCategories, any case; by default "homework",
//	                  "домашняя работа", "домашнее задание", "дз"), with the description and
//	                  dueDate; test when the title reads like one (контрольная, проверочная,
//	                  test, quiz, exam, …); classwork otherwise. assignDate and dueDate may be
//	                  date-times: the date written is taken
//	results           grades of kind current: score, scoreDate as graded_on, comment, the
//	                  lineItem's class and weight; a tobedeleted result deletes its grade
//
// A grade weighs what its lineItem weighs: the lineItem's ext_weight column, else its
// category's ext_weight, else 1.
//
// # Checking
//
// A bad row is reported as file:line: column: problem, for instance
//
//	users.csv:17: role: unknown role "pupil"
//
// and then nothing at all is written: the import is one transaction. The checks are
// required columns in the header, required fields, dates (YYYY-MM-DD), numbers,
// enumerations, sourcedIds unique in their file, and the references a row cannot do
// without, to rows of the same import or already in the database: a class's school,
// an enrollment's class and user, a lineItem's class, a result's lineItem and
// student, who must be enrolled in the lineItem's class. References it can do
// without (a session's or org's parent, a class's course and terms, a user's orgs
// and agents, a lineItem's category) are warnings in the summary.
//
// # Speed
//
// Each file is streamed into a temporary table with COPY, a row's line number with
// it, and checked and written with a few set-based statements; a re-import writes
// only the rows that changed. Results, three million in a district, and lineItems
// are checked and resolved in Go as they are read, against maps of the lineItems,
// people, enrollments, classes and categories they refer to. When a file brings
// more new rows than a table holds (a district's first import), the table's
// indexes, keys and foreign keys (but those other tables' foreign keys need) are
// dropped for the load and rebuilt after, which locks the table until the import
// commits; into an empty assignments or grades table the rows are copied straight,
// not staged first. BenchmarkImportDistrict
// measures an import against the time PostgreSQL takes to COPY the same files.
package oneroster
