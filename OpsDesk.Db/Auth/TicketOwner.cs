namespace OpsDesk.Db.Auth;

/// <summary>Who may read a ticket besides staff: the key or JWT subject that created it, and the holder of its access token.</summary>
public sealed class TicketOwner
{
    public long TicketId { get; init; }
    public long? CreatedByKeyId { get; init; }
    public string? CreatedBySubject { get; init; }
    public byte[]? AccessTokenHash { get; init; }
}
