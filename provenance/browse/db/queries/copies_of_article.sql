-- title: All copies of an article
-- description: Give an article's key (its input id, file path or URL): every article of its stories, the canonical first.
SELECT
    stories.id AS story,
    stories.title AS story_title,
    articles.key,
    articles.title,
    articles.publisher,
    articles.published,
    coalesce(links.relation, 'canonical') AS relation,
    links.reuse,
    links.coverage,
    links.headline_changed
FROM stories
JOIN articles ON articles.id = stories.canonical_id OR articles.id IN (
    SELECT article_id FROM links WHERE links.story_id = stories.id
)
LEFT JOIN links ON links.story_id = stories.id AND links.article_id = articles.id
WHERE stories.id IN (
    SELECT id FROM stories WHERE canonical_id = (SELECT id FROM articles WHERE key = :key)
    UNION
    SELECT story_id FROM links WHERE article_id = (SELECT id FROM articles WHERE key = :key)
)
ORDER BY stories.id, links.relation IS NOT NULL, articles.published, articles.key
