-- title: Who republishes wire copy
-- description: Per publisher: its articles, how many are copies of another's story, how many of those copy a wire story, and the share of its articles that is wire copy.
WITH copies AS (
    SELECT DISTINCT links.article_id, stories.source
    FROM links JOIN stories ON stories.id = links.story_id
),
wire AS (
    SELECT DISTINCT credit AS name FROM articles WHERE credit IS NOT NULL
)
SELECT
    articles.publisher,
    count(*) AS articles,
    count(copies.article_id) AS copies,
    count(DISTINCT CASE WHEN copies.source IN (SELECT name FROM wire) OR articles.credit IS NOT NULL
                   THEN copies.article_id END) AS wire_copies,
    round(1.0 * count(DISTINCT CASE WHEN copies.source IN (SELECT name FROM wire) OR articles.credit IS NOT NULL
                                    THEN copies.article_id END) / count(*), 3) AS wire_share
FROM articles
LEFT JOIN copies ON copies.article_id = articles.id
WHERE articles.publisher IS NOT NULL
GROUP BY articles.publisher
ORDER BY wire_share DESC, articles DESC
