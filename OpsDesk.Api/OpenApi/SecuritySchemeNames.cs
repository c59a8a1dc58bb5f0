namespace OpsDesk.Api.OpenApi;

/// <summary>The security scheme names the OpenAPI document declares, one per way a caller proves who it is.</summary>
public static class SecuritySchemeNames
{
    /// <summary>An OpsDesk API key (<c>odk_…</c>) as <c>Authorization: Bearer</c>.</summary>
    public const string ApiKey = "apiKey";

    /// <summary>A JWT from the <c>Auth:Jwt</c> authority as <c>Authorization: Bearer</c> (declared only while JWT is on).</summary>
    public const string Jwt = "jwt";

    /// <summary>A ticket access token in the <c>X-Ticket-Token</c> header.</summary>
    public const string TicketToken = "ticketToken";

    /// <summary>A ticket access token in the <c>token</c> query parameter.</summary>
    public const string TicketTokenQuery = "ticketTokenQuery";
}
