"""The SQL of the neighbourhood loader (`neighbourhood.py`): one statement for the candidates.

Table names come from the models; every value is a query parameter.
"""

from __future__ import annotations

from konnaxion.keenkonnect.models import ProjectTeam
from konnaxion.kreative.models import CollabSessionParticipant, ProfessionalProfile
from konnaxion.tags.models import Tag
from konnaxion.users.models import User
from konnaxion.users.selectors import VERIFIED_EMAIL_SQL

from .index import ARTWORK_TAG_WEIGHT, MAX_POSTINGS_WALKED, SKILL_WEIGHT
from .statistics import (
    ARTWORK_TAGS_TABLE,
    ARTWORKS_TABLE,
    FOLLOWS_TABLE,
    SKILLS_TABLE,
    STYLES_TABLE,
)

PROFILES_TABLE = ProfessionalProfile._meta.db_table
PARTICIPANTS_TABLE = CollabSessionParticipant._meta.db_table
TEAMS_TABLE = ProjectTeam._meta.db_table
TAGS_TABLE = Tag._meta.db_table
USERS_TABLE = User._meta.db_table

# People whose email address is not verified are never suggested (konnaxion/users/selectors.py).
CANDIDATE_EMAIL_VERIFIED = VERIFIED_EMAIL_SQL.format(user_id="e.user_id")

# Who worked with whom: one row (person, other, work) per session or project both took part in,
# for the people of the array expression `people`; `work` names the session or project.
WORKED_TOGETHER = f"""
    SELECT mine.user_id AS person, other.user_id AS other, 's' || mine.session_id AS work
    FROM {PARTICIPANTS_TABLE} mine
    JOIN {PARTICIPANTS_TABLE} other
        ON other.session_id = mine.session_id AND other.user_id <> mine.user_id
    WHERE mine.user_id = ANY({{people}})
    UNION ALL
    SELECT mine.user_id, other.user_id, 'p' || mine.project_id
    FROM {TEAMS_TABLE} mine
    JOIN {TEAMS_TABLE} other ON other.project_id = mine.project_id AND other.user_id <> mine.user_id
    WHERE mine.user_id = ANY({{people}})
"""  # noqa: S608 - table names from the models

# One round trip: the candidates with their score bounds (`chosen`), then tagged rows
# (kind, id, id, count, moment, text) about them: documents, who they are, follow edges and
# degrees, and the names of the viewer's tags.
NEIGHBOURHOOD_SQL = f"""
WITH query_tags (tag_id, weight) AS (
    SELECT * FROM unnest(%(tags)s::bigint[], %(tag_weights)s::float8[])
),
frequencies AS (
    SELECT user_id, tag_id, SUM(frequency) AS frequency FROM (
        SELECT professionalprofile_id AS user_id, tag_id, {SKILL_WEIGHT}::float8 AS frequency
        FROM {SKILLS_TABLE} WHERE tag_id = ANY(%(tags)s)
        UNION ALL
        -- OFFSET 0 keeps this a primary-key probe per tagged artwork: flattened into a join,
        -- the planner prefers hashing every artwork in the table.
        SELECT a.artist_id, t.tag_id, {ARTWORK_TAG_WEIGHT}::float8
        FROM {ARTWORK_TAGS_TABLE} t CROSS JOIN LATERAL (
            SELECT artist_id FROM {ARTWORKS_TABLE} WHERE id = t.artwork_id OFFSET 0
        ) a
        WHERE t.tag_id = ANY(%(tags)s)
    ) hits GROUP BY user_id, tag_id
),
intermediaries AS MATERIALIZED (
    SELECT person, 1.0::float8 / ln(
        2.0::float8
        + (SELECT COUNT(*) FROM {FOLLOWS_TABLE} WHERE follower_id = person)
        + (SELECT COUNT(*) FROM {FOLLOWS_TABLE} WHERE followee_id = person)
    ) AS weight
    FROM unnest(%(following)s::bigint[]) AS person
),
ties_around AS MATERIALIZED (
    SELECT person,
        (SELECT COUNT(*) FROM {FOLLOWS_TABLE} WHERE follower_id = person)
        + (SELECT COUNT(*) FROM {FOLLOWS_TABLE} WHERE followee_id = person) AS degree
    FROM unnest(%(ties)s::bigint[]) AS person
),
evidence (user_id, bound) AS (
    SELECT user_id, SUM(q.weight * f.frequency * %(k1_plus_1)s / (f.frequency + %(shortest_norm)s))
    FROM frequencies f JOIN query_tags q USING (tag_id) GROUP BY user_id
    UNION ALL
    SELECT DISTINCT professionalprofile_id, %(style_bound)s::float8
    FROM {STYLES_TABLE} WHERE tag_id = ANY(%(styles)s)
    UNION ALL
    SELECT f.followee_id, %(graph)s * SUM(i.weight) / (1.0::float8 + SUM(i.weight))
    FROM {FOLLOWS_TABLE} f JOIN intermediaries i ON i.person = f.follower_id
    GROUP BY f.followee_id
    UNION ALL
    SELECT unnest(%(followers)s::bigint[]), %(follows_you)s::float8
    UNION ALL
    SELECT person, %(co_participation)s * (1.0::float8 - power(0.5::float8, COUNT(*)))
    FROM unnest(%(co_participants)s::bigint[]) AS person GROUP BY person
    UNION ALL
    SELECT unnest(%(popular)s::bigint[]), 0.0::float8
    UNION ALL
    -- Two steps of the walk (the three-step part is computed on what is loaded).
    SELECT other, %(walk)s * SUM(1.0::float8 / degree)
        / (SUM(1.0::float8 / degree) + %(walk_saturation)s)
    FROM (
        SELECT f.followee_id AS other, t.degree FROM ties_around t
        JOIN {FOLLOWS_TABLE} f ON f.follower_id = t.person WHERE t.degree <= {MAX_POSTINGS_WALKED}
        UNION ALL
        SELECT f.follower_id, t.degree FROM ties_around t
        JOIN {FOLLOWS_TABLE} f ON f.followee_id = t.person WHERE t.degree <= {MAX_POSTINGS_WALKED}
    ) reached GROUP BY other
    UNION ALL
    -- People who worked with the people the viewer worked with.
    SELECT other, %(circle)s * (1.0::float8 - power(0.5::float8, COUNT(DISTINCT person)))
    FROM ({WORKED_TOGETHER.format(people="%(collaborators)s::bigint[]")}) circle
    GROUP BY other
),
chosen AS MATERIALIZED (
    -- The unlisted and the deactivated are few: both anti-joins read small partial indexes.
    SELECT e.user_id FROM evidence e
    WHERE e.user_id <> ALL(%(excluded)s::bigint[])
      AND NOT EXISTS (
        SELECT 1 FROM {PROFILES_TABLE} p WHERE p.user_id = e.user_id
        AND (p.discoverable = false OR p.visibility = %(hidden)s)
      )
      AND NOT EXISTS (SELECT 1 FROM {USERS_TABLE} u WHERE u.id = e.user_id AND u.is_active = false)
      AND {CANDIDATE_EMAIL_VERIFIED}
    GROUP BY e.user_id ORDER BY SUM(e.bound) DESC, e.user_id LIMIT %(limit)s
),
counted AS MATERIALIZED (
    SELECT user_id FROM chosen
    UNION SELECT %(viewer)s
    UNION SELECT unnest(%(following)s::bigint[])
    UNION SELECT unnest(%(followers)s::bigint[])
    UNION SELECT unnest(%(collaborators)s::bigint[])
),
worked AS MATERIALIZED (
    {WORKED_TOGETHER.format(people="ARRAY(SELECT user_id FROM chosen)")}
)
SELECT 'skill', s.professionalprofile_id, s.tag_id, 1, NULL::timestamptz, NULL
FROM chosen c JOIN {SKILLS_TABLE} s ON s.professionalprofile_id = c.user_id
UNION ALL
SELECT 'style', s.professionalprofile_id, s.tag_id, 1, NULL, NULL
FROM chosen c JOIN {STYLES_TABLE} s ON s.professionalprofile_id = c.user_id
UNION ALL
SELECT 'artwork_tag', a.artist_id, t.tag_id, COUNT(*), NULL, NULL
FROM chosen c JOIN {ARTWORKS_TABLE} a ON a.artist_id = c.user_id
JOIN {ARTWORK_TAGS_TABLE} t ON t.artwork_id = a.id
GROUP BY a.artist_id, t.tag_id
UNION ALL
SELECT 'person', u.id, p.open_to_collaboration::int, NULL, GREATEST(u.last_login, p.updated_at),
    u.username
FROM (SELECT user_id FROM chosen UNION ALL SELECT %(viewer)s) c
JOIN {USERS_TABLE} u ON u.id = c.user_id
LEFT JOIN {PROFILES_TABLE} p ON p.user_id = u.id
UNION ALL
-- Every follow among the loaded people (candidates, the viewer and the viewer's ties):
-- Adamic-Adar in both directions and the walk read them.
SELECT 'edge', f.follower_id, f.followee_id, NULL, NULL, NULL
FROM counted c JOIN {FOLLOWS_TABLE} f ON f.follower_id = c.user_id
WHERE f.followee_id IN (SELECT user_id FROM counted)
UNION ALL
SELECT 'worked', person, other, NULL, NULL, work FROM worked
UNION ALL
-- The skills of the people candidates worked with that the viewer lists too (likeness).
SELECT 'like_skill', s.professionalprofile_id, s.tag_id, NULL, NULL, NULL
FROM {SKILLS_TABLE} s
WHERE s.professionalprofile_id IN (SELECT other FROM worked) AND s.tag_id = ANY(%(viewer_skills)s)
UNION ALL
SELECT 'followers', c.user_id, NULL, COUNT(*), NULL, NULL
FROM counted c JOIN {FOLLOWS_TABLE} f ON f.followee_id = c.user_id GROUP BY c.user_id
UNION ALL
SELECT 'following', c.user_id, NULL, COUNT(*), NULL, NULL
FROM counted c JOIN {FOLLOWS_TABLE} f ON f.follower_id = c.user_id GROUP BY c.user_id
UNION ALL
SELECT 'tag_name', id, NULL, NULL, NULL, name FROM {TAGS_TABLE} WHERE id = ANY(%(viewer_tags)s)
    OR id IN (
        SELECT s.tag_id FROM chosen c JOIN {SKILLS_TABLE} s ON s.professionalprofile_id = c.user_id
    )
"""  # noqa: S608 - table names from the models, values as parameters
