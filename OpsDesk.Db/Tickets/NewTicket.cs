namespace OpsDesk.Db.Tickets;

/// <summary>A validated, normalised ticket to insert.</summary>
/// <param name="RequestHash">Hash of the normalised request, stored with the idempotency key.</param>
/// <param name="CreatedByKeyId">The API key that created the ticket (a requester reads only its own).</param>
/// <param name="CreatedBySubject">The JWT subject that created the ticket, when it came with a token instead of a key.</param>
/// <param name="AccessTokenHash">SHA-256 of the per-ticket access token handed to the creator.</param>
public sealed record NewTicket(
    string Subject,
    string Description,
    string Source,
    string? RequesterEmail,
    string? IdempotencyKey,
    byte[]? RequestHash,
    long? CreatedByKeyId = null,
    string? CreatedBySubject = null,
    byte[]? AccessTokenHash = null);
