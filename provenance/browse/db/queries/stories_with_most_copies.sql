-- title: Stories with the most copies
-- description: Each story with its number of copies, where it came from and its canonical article.
SELECT
    stories.id AS story,
    stories.title,
    stories.source AS origin,
    stories.members - 1 AS copies,
    (SELECT count(*) FROM links WHERE links.story_id = stories.id AND links.relation = 'wholly') AS wholly,
    (SELECT count(*) FROM links WHERE links.story_id = stories.id AND links.relation = 'partially') AS partially,
    articles.publisher AS canonical_publisher,
    articles.published AS canonical_published,
    CASE stories.canonical_present WHEN 1 THEN 'yes' ELSE 'no: the original is not in the store' END
        AS original_in_store
FROM stories
JOIN articles ON articles.id = stories.canonical_id
ORDER BY copies DESC, stories.id
LIMIT 500
