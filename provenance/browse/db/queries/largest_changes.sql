-- title: The largest changes copiers made
-- description: Copies that changed their story the most: paragraphs added and dropped, the share of the copy that is the copier's own, the share of the source left out, and headline changes.
SELECT
    links.story_id AS story,
    stories.title AS story_title,
    articles.publisher,
    articles.title,
    links.relation,
    links.paragraphs_added,
    links.paragraphs_dropped,
    round(1 - links.reuse, 3) AS own_share,
    round(1 - links.coverage, 3) AS left_out,
    links.headline_changed
FROM links
JOIN stories ON stories.id = links.story_id
JOIN articles ON articles.id = links.article_id
ORDER BY links.paragraphs_added + links.paragraphs_dropped DESC, own_share + left_out DESC
LIMIT 500
