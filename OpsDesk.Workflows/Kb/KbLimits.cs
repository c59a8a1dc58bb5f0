namespace OpsDesk.Workflows.Kb;

/// <summary>Sizes an article may have (the API and the importer check the same numbers).</summary>
public static class KbLimits
{
    public const int MaxSlugLength = 80;
    public const int MaxTitleLength = 200;

    /// <summary>Markdown body, in characters (the starter articles are 1–3 k).</summary>
    public const int MaxBodyLength = 20_000;

    public const int MaxTags = 20;
    public const int MaxTagLength = 40;

    /// <summary>Search and suggestion queries, in characters.</summary>
    public const int MaxQueryLength = 2_000;
}
