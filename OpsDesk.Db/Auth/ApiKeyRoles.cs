namespace OpsDesk.Db.Auth;

/// <summary>The roles a key or token can carry. Admins can do what agents can.</summary>
public static class ApiKeyRoles
{
    public const string Requester = "requester";
    public const string Agent = "agent";
    public const string Admin = "admin";

    public static IReadOnlyList<string> All { get; } = [Requester, Agent, Admin];
}
