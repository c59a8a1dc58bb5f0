namespace OpsDesk.Api.Auth;

/// <summary>
/// Named authorization policies. Protect an endpoint with one line, e.g.
/// <c>group.MapPatch("/{id}", ...).RequireAuthorization(AuthPolicies.Agent)</c>.
/// </summary>
public static class AuthPolicies
{
    /// <summary>Any role: requester, agent or admin. Also the fallback for endpoints that name no policy.</summary>
    public const string Reader = "reader";

    /// <summary>Agents and admins.</summary>
    public const string Agent = "agent";

    /// <summary>Admins only.</summary>
    public const string Admin = "admin";

    /// <summary>Any role, or anonymous while <c>Auth:AllowAnonymousCreate</c> is true.</summary>
    public const string CreateTicket = "create-ticket";

    /// <summary>Any role, or anonymous with a ticket access token (the handler then checks it fits the ticket).</summary>
    public const string TicketReader = "ticket-reader";

    /// <summary>Anyone: any role, or anonymous (without an Authorization header). Unlike AllowAnonymous, the caller is still known to the handler.</summary>
    public const string Public = "public";
}
