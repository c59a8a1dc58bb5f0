using OpsDesk.Db.Tickets;

namespace OpsDesk.Api.Tickets;

/// <summary>
/// The answer to a create: the ticket and its access token, which lets whoever holds it read this
/// one ticket (header X-Ticket-Token or ?token=). Only its hash is stored; an idempotent replay
/// hands out a fresh token and the earlier one stops working.
/// </summary>
public sealed class CreatedTicketResponse : TicketResponse
{
    public CreatedTicketResponse()
    {
    }

    public CreatedTicketResponse(TicketRow row, string accessToken)
        : base(row) => AccessToken = accessToken;

    public string AccessToken { get; init; } = "";
}
