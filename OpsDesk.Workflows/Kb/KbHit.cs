namespace OpsDesk.Workflows.Kb;

/// <summary>
/// A retrieved article. <see cref="Score"/> is the reciprocal-rank-fusion score scaled to 0–1 (1 = first in
/// both lists); <see cref="Similarity"/> the best cosine of its chunks (0 without vectors); <see cref="TextRank"/>
/// its <c>ts_rank</c> (0 when the words did not match).
/// </summary>
public sealed record KbHit(long Id, string Slug, string Title, bool Public, double Score, double Similarity, double TextRank);
