namespace OpsDesk.Db.Kb;

/// <summary>One embedded chunk of an article, as the in-memory vector index loads it.</summary>
public sealed record KbChunkVector(long DocId, string Slug, string Title, string Visibility, int Chunk, float[] Vector);
