using System.Security.Claims;
using OpsDesk.Db.Auth;
using OpsDesk.Db.Comments;

namespace OpsDesk.Api.Auth;

/// <summary>
/// Who is calling: the strongest role held, the key id or JWT owner their tickets are filed under,
/// and the agent behind staff credentials (null for requesters, anonymous callers and unmapped JWTs).
/// </summary>
public sealed record Caller(string? Role, long? KeyId, string? Owner, long? AgentId = null)
{
    public static Caller Anonymous { get; } = new(null, null, null);

    public bool IsStaff => Role is ApiKeyRoles.Agent or ApiKeyRoles.Admin;

    /// <summary>Whether internal notes (and their timeline events) are shown to this caller: <see cref="InternalNotes"/>.</summary>
    public bool SeesInternalNotes => InternalNotes.VisibleTo(Role);

    public static Caller From(ClaimsPrincipal user)
    {
        if (user.Identity?.IsAuthenticated != true)
            return Anonymous;
        var role = user.HasClaim(AuthClaims.Role, ApiKeyRoles.Admin) ? ApiKeyRoles.Admin
            : user.HasClaim(AuthClaims.Role, ApiKeyRoles.Agent) ? ApiKeyRoles.Agent
            : user.HasClaim(AuthClaims.Role, ApiKeyRoles.Requester) ? ApiKeyRoles.Requester
            : null;
        long? keyId = long.TryParse(user.FindFirstValue(AuthClaims.KeyId), System.Globalization.CultureInfo.InvariantCulture, out var id) ? id : null;
        long? agentId = long.TryParse(user.FindFirstValue(AuthClaims.AgentId), System.Globalization.CultureInfo.InvariantCulture, out var agent) ? agent : null;
        return new Caller(role, keyId, keyId is null ? user.FindFirstValue(AuthClaims.Owner) : null, agentId);
    }

    /// <summary>Staff read every ticket; anyone else the tickets they created, or the one whose token they hold.</summary>
    public bool CanRead(TicketOwner ticket, string? presentedToken)
    {
        if (IsStaff)
            return true;
        if (Role is not null && KeyId is { } key && ticket.CreatedByKeyId == key)
            return true;
        if (Role is not null && Owner is not null && string.Equals(ticket.CreatedBySubject, Owner, StringComparison.Ordinal))
            return true;
        return presentedToken is not null && Secrets.Matches(presentedToken, ticket.AccessTokenHash);
    }

    /// <summary>Whether this caller created the ticket (an idempotent replay must come from its creator).</summary>
    public bool Created(TicketOwner ticket) =>
        ticket.CreatedByKeyId == KeyId && string.Equals(ticket.CreatedBySubject, KeyId is null ? Owner : null, StringComparison.Ordinal);
}
