namespace OpsDesk.Db.Agents;

/// <summary>The rules of a new agent, shared by <c>POST /api/admin/agents</c> and <c>opsdesk agents create</c>. Errors are keyed by the JSON field name.</summary>
public static class AgentValidation
{
    public const int NameMax = 100;
    public const int SubjectMax = 500;

    public static Dictionary<string, string[]> Validate(string? name, string? role, string? email, string? jwtSubject, out NewAgent? agent)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        name = name?.Trim();
        var trimmedEmail = string.IsNullOrWhiteSpace(email) ? null : email.Trim();
        var subject = string.IsNullOrWhiteSpace(jwtSubject) ? null : jwtSubject.Trim();
        if (string.IsNullOrEmpty(name))
            errors["name"] = ["name is required."];
        else if (name.Length > NameMax || name.Any(char.IsControl))
            errors["name"] = [$"name must be at most {NameMax} characters without control characters."];
        if (!AgentRoles.IsValid(role))
            errors["role"] = [$"role must be one of: {string.Join(", ", AgentRoles.All)}."];
        if (email is not null && !EmailAddresses.IsValid(trimmedEmail))
            errors["email"] = ["email must be a valid email address."];
        if (subject is not null && (subject.Length > SubjectMax || subject.Any(char.IsControl)))
            errors["jwtSubject"] = [$"jwtSubject must be at most {SubjectMax} characters without control characters."];
        agent = errors.Count == 0 ? new NewAgent(name!, trimmedEmail, role!, subject) : null;
        return errors;
    }
}
