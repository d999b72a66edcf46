-- The class averages /grades shows, kept per class and term.
--
-- /grades shows each subject's class average over the term. Computed at every
-- call from the grades (a term's ~400 grades of each of the pupil's ~10
-- classes, summed in numeric and their pupils counted), it was 44 % of all
-- statement time of a bot at 450 updates a second. The database keeps them
-- instead: one row per class and term-like session (term, semester,
-- grading_period) holding the dates of its current grades, refreshed by the
-- statement that changes the grades, whoever runs it (a teacher's mark, the
-- importer, a grade deleted by hand), and by a change of a session's dates.
--
-- class_grade_averages is the one definition of a class average, for the
-- stored rows and for any other range the diary is asked about.

-- +goose Up
-- +goose StatementBegin
CREATE FUNCTION class_grade_averages(classes bigint[], from_day date, to_day date)
RETURNS TABLE (class_id bigint, average float8, pupils int)
LANGUAGE sql STABLE AS $$
    SELECT g.class_id, (sum(g.score * g.weight) / sum(g.weight))::float8, count(DISTINCT g.pupil_id)::int
    FROM grades g
    WHERE g.class_id = ANY (classes) AND g.kind = 'current' AND g.graded_on BETWEEN from_day AND to_day
    GROUP BY g.class_id
$$;
-- +goose StatementEnd

-- pupils is how many pupils have a grade there: the diary shows the average
-- from MinPupilsForClassAverage on.
CREATE TABLE class_term_averages (
    class_id   bigint NOT NULL REFERENCES classes (id) ON DELETE CASCADE,
    session_id bigint NOT NULL REFERENCES academic_sessions (id) ON DELETE CASCADE,
    average    float8 NOT NULL,
    pupils     int NOT NULL,
    PRIMARY KEY (session_id, class_id)
);
CREATE INDEX class_term_averages_class_idx ON class_term_averages (class_id);

-- refresh_class_term_averages computes again the rows of the pairs (class,
-- session) given: each from its session's dates, deleted when no grade is
-- left. Concurrent writers of one class take turns: each locks the rows
-- first (in one order), and then computes with a snapshot that holds what the
-- writer before it committed. EXECUTE plans each call with its arrays, so a
-- bulk import's thousands of classes get a plan for thousands.
-- +goose StatementBegin
CREATE FUNCTION refresh_class_term_averages(classes bigint[], sessions bigint[])
RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    s record;
BEGIN
    IF cardinality(classes) = 0 THEN
        RETURN;
    END IF;
    INSERT INTO class_term_averages (class_id, session_id, average, pupils)
    SELECT DISTINCT p.class_id, p.session_id, 0, 0 FROM unnest(classes, sessions) AS p(class_id, session_id)
    ORDER BY 2, 1
    ON CONFLICT DO NOTHING;
    PERFORM FROM class_term_averages t
    WHERE (t.session_id, t.class_id) IN (SELECT p.session_id, p.class_id FROM unnest(classes, sessions) AS p(class_id, session_id))
    ORDER BY t.session_id, t.class_id
    FOR UPDATE;
    FOR s IN SELECT ses.id, ses.start_date, ses.end_date,
                    array_agg(DISTINCT p.class_id) AS classes
             FROM unnest(classes, sessions) AS p(class_id, session_id)
             JOIN academic_sessions ses ON ses.id = p.session_id
             GROUP BY ses.id
    LOOP
        EXECUTE $q$
            WITH a AS (SELECT * FROM class_grade_averages($1, $2, $3)),
            updated AS (
                UPDATE class_term_averages t SET average = a.average, pupils = a.pupils
                FROM a WHERE t.session_id = $4 AND t.class_id = ANY ($1) AND t.class_id = a.class_id)
            DELETE FROM class_term_averages t
            WHERE t.session_id = $4 AND t.class_id = ANY ($1)
              AND NOT EXISTS (SELECT FROM a WHERE a.class_id = t.class_id)$q$
        USING s.classes, s.start_date, s.end_date, s.id;
    END LOOP;
END
$$;
-- +goose StatementEnd

-- A statement that changed grades refreshes the rows of each class it
-- touched and each term-like session holding the dates of those grades (the
-- sessions a term's report asks for), as the grades were and as they are.
-- +goose StatementBegin
CREATE FUNCTION grades_refresh_class_term_averages() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    classes  bigint[] := '{}';
    days     date[] := '{}';
    sessions bigint[];
BEGIN
    -- Only the transition tables of TG_OP exist: each branch names its own.
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        SELECT coalesce(array_agg(n.class_id), '{}'), coalesce(array_agg(n.graded_on), '{}') INTO classes, days
        FROM (SELECT DISTINCT class_id, graded_on FROM new_grades WHERE kind = 'current') n;
    END IF;
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        SELECT classes || coalesce(array_agg(o.class_id), '{}'), days || coalesce(array_agg(o.graded_on), '{}') INTO classes, days
        FROM (SELECT DISTINCT class_id, graded_on FROM old_grades WHERE kind = 'current') o;
    END IF;
    SELECT coalesce(array_agg(p.class_id), '{}'), coalesce(array_agg(p.session_id), '{}') INTO classes, sessions
    FROM (SELECT DISTINCT g.class_id, ses.id AS session_id
          FROM unnest(classes, days) AS g(class_id, graded_on)
          JOIN academic_sessions ses ON ses.kind IN ('term', 'semester', 'grading_period')
                                    AND g.graded_on BETWEEN ses.start_date AND ses.end_date) p;
    PERFORM refresh_class_term_averages(classes, sessions);
    RETURN NULL;
END
$$;
-- +goose StatementEnd

CREATE TRIGGER grades_inserted_class_term_averages AFTER INSERT ON grades
    REFERENCING NEW TABLE AS new_grades
    FOR EACH STATEMENT EXECUTE FUNCTION grades_refresh_class_term_averages();
CREATE TRIGGER grades_updated_class_term_averages AFTER UPDATE ON grades
    REFERENCING OLD TABLE AS old_grades NEW TABLE AS new_grades
    FOR EACH STATEMENT EXECUTE FUNCTION grades_refresh_class_term_averages();
CREATE TRIGGER grades_deleted_class_term_averages AFTER DELETE ON grades
    REFERENCING OLD TABLE AS old_grades
    FOR EACH STATEMENT EXECUTE FUNCTION grades_refresh_class_term_averages();

-- A session whose dates or kind change: its rows are made again, for the
-- classes it had rows for and those with grades in its new dates. (A session
-- deleted takes its rows with it.)
-- +goose StatementBegin
CREATE FUNCTION sessions_refresh_class_term_averages() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    classes  bigint[];
    sessions bigint[];
BEGIN
    IF NOT EXISTS (SELECT FROM new_sessions) THEN -- the importer's statement that changed none
        RETURN NULL;
    END IF;
    IF TG_OP = 'UPDATE' THEN
        DELETE FROM class_term_averages t USING new_sessions n, old_sessions o
        WHERE t.session_id = n.id AND o.id = n.id
          AND (n.kind NOT IN ('term', 'semester', 'grading_period')
               OR (n.start_date, n.end_date) IS DISTINCT FROM (o.start_date, o.end_date));
    END IF;
    SELECT array_agg(p.class_id), array_agg(p.session_id) INTO classes, sessions
    FROM (SELECT DISTINCT g.class_id, n.id AS session_id
          FROM new_sessions n
          JOIN grades g ON g.kind = 'current' AND g.graded_on BETWEEN n.start_date AND n.end_date
          WHERE n.kind IN ('term', 'semester', 'grading_period')
            AND NOT EXISTS (SELECT FROM class_term_averages t WHERE t.session_id = n.id)) p;
    PERFORM refresh_class_term_averages(coalesce(classes, '{}'), coalesce(sessions, '{}'));
    RETURN NULL;
END
$$;
-- +goose StatementEnd

CREATE TRIGGER sessions_inserted_class_term_averages AFTER INSERT ON academic_sessions
    REFERENCING NEW TABLE AS new_sessions
    FOR EACH STATEMENT EXECUTE FUNCTION sessions_refresh_class_term_averages();
CREATE TRIGGER sessions_updated_class_term_averages AFTER UPDATE ON academic_sessions
    REFERENCING OLD TABLE AS old_sessions NEW TABLE AS new_sessions
    FOR EACH STATEMENT EXECUTE FUNCTION sessions_refresh_class_term_averages();

-- The grades there are now.
INSERT INTO class_term_averages (class_id, session_id, average, pupils)
SELECT a.class_id, ses.id, a.average, a.pupils
FROM academic_sessions ses,
     class_grade_averages((SELECT array_agg(id) FROM classes), ses.start_date, ses.end_date) a
WHERE ses.kind IN ('term', 'semester', 'grading_period');

-- +goose Down
DROP TRIGGER sessions_updated_class_term_averages ON academic_sessions;
DROP TRIGGER sessions_inserted_class_term_averages ON academic_sessions;
DROP FUNCTION sessions_refresh_class_term_averages();
DROP TRIGGER grades_deleted_class_term_averages ON grades;
DROP TRIGGER grades_updated_class_term_averages ON grades;
DROP TRIGGER grades_inserted_class_term_averages ON grades;
DROP FUNCTION grades_refresh_class_term_averages();
DROP FUNCTION refresh_class_term_averages(bigint[], bigint[]);
DROP TABLE class_term_averages;
DROP FUNCTION class_grade_averages(bigint[], date, date);
