namespace OpsDesk.Db.Kb;

/// <summary>
/// Lexemes of the articles' weighted tsvector that occur in a large share of the articles, with the number of
/// articles holding each (<c>ts_stat</c>'s <c>ndoc</c>). A query's full text leaves them out when it has rarer
/// words: they add almost nothing to <c>ts_rank</c> but would make PostgreSQL rank nearly every article.
/// </summary>
public sealed record KbCommonTerms(string[] Words, int[] Documents)
{
    /// <summary>No statistics (yet): every query word is searched.</summary>
    public static readonly KbCommonTerms None = new([], []);
}
