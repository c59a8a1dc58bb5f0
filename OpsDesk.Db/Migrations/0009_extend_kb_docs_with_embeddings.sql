-- Knowledge base (#18): who may read an article, a version that every edit bumps (the embedding
-- workflow's id and the vectors carry it), and the article's vectors per embedding model.
-- No pgvector on the target servers: vectors are real[]; cosine similarity is computed in .NET over an
-- in-memory index loaded from this table.
ALTER TABLE kb_docs
    ADD COLUMN visibility text    NOT NULL DEFAULT 'public' CHECK (visibility IN ('public', 'internal')),
    ADD COLUMN version    integer NOT NULL DEFAULT 1 CHECK (version > 0);

CREATE INDEX kb_docs_updated_idx ON kb_docs (updated_at);

-- One row per (article, model, chunk): an article is embedded as a few chunks (title + section) and
-- scores by its best chunk. doc_version says which edit the vectors were computed from.
CREATE TABLE kb_embeddings (
    doc_id      bigint      NOT NULL REFERENCES kb_docs (id) ON DELETE CASCADE,
    model       text        NOT NULL,
    chunk       integer     NOT NULL CHECK (chunk >= 0),
    doc_version integer     NOT NULL,
    vector      real[]      NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (doc_id, model, chunk)
);

CREATE INDEX kb_embeddings_model_idx ON kb_embeddings (model, doc_id);
