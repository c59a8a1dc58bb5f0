namespace OpsDesk.Api.Auth;

/// <summary>Where a requester presents a ticket access token: the <c>X-Ticket-Token</c> header (preferred) or <c>?token=</c>.</summary>
public static class TicketTokens
{
    public const string Header = "X-Ticket-Token";
    public const string Query = "token";

    public static string? Read(HttpRequest request)
    {
        var value = request.Headers.TryGetValue(Header, out var header) ? header.ToString()
            : request.Query.TryGetValue(Query, out var query) ? query.ToString()
            : null;
        return string.IsNullOrEmpty(value) || value.Length > Db.Auth.Secrets.MaxPresentedLength ? null : value;
    }
}
