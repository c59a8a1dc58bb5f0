namespace OpsDesk.Db.Tickets;

/// <summary>Ticket categories the triage can assign.</summary>
public static class Categories
{
    public static readonly IReadOnlyList<string> All =
        ["payments", "orders", "refunds", "account_access", "otp_delivery", "kyc", "app_bug", "other"];
}
