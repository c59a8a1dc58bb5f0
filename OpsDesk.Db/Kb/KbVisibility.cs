namespace OpsDesk.Db.Kb;

/// <summary>Who may read an article: <c>public</c> (portal and agents) or <c>internal</c> (agents only).</summary>
public static class KbVisibility
{
    public const string Public = "public";
    public const string Internal = "internal";

    public static readonly IReadOnlyList<string> All = [Public, Internal];
}
