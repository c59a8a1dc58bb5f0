-- The knowledge base's revision (#18): one row, bumped by every statement that writes kb_docs or
-- kb_embeddings, in the writer's own transaction. The workers' in-memory vector index compares it (one
-- primary-key read) to decide whether to reload, instead of aggregating both tables on the search path.
-- The row lock is held until the writer commits, so a reader that sees a new revision sees the change;
-- KB writes touch one article per transaction and take the article's row first, then this row, so they
-- queue here but cannot deadlock.
CREATE TABLE kb_revision (
    id       boolean PRIMARY KEY DEFAULT true CHECK (id),
    revision bigint  NOT NULL
);

INSERT INTO kb_revision (id, revision) VALUES (true, 1);

CREATE FUNCTION kb_bump_revision() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE kb_revision SET revision = revision + 1 WHERE id;
    RETURN NULL;
END
$$;

CREATE TRIGGER kb_docs_bump_revision
    AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON kb_docs
    FOR EACH STATEMENT EXECUTE FUNCTION kb_bump_revision();

CREATE TRIGGER kb_embeddings_bump_revision
    AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON kb_embeddings
    FOR EACH STATEMENT EXECUTE FUNCTION kb_bump_revision();
