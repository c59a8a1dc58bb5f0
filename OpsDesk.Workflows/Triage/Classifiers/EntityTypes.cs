namespace OpsDesk.Workflows.Triage.Classifiers;

/// <summary>Values of <see cref="ExtractedEntity.Type"/>.</summary>
public static class EntityTypes
{
    public const string OrderId = "order_id";
    public const string TransactionId = "transaction_id";
    public const string Amount = "amount";
    public const string Currency = "currency";
    public const string PaymentMethod = "payment_method";
    public const string Email = "email";
    public const string Phone = "phone";
    public const string Device = "device";
    public const string AppVersion = "app_version";
    public const string Other = "other";

    public static readonly IReadOnlyList<string> All =
        [OrderId, TransactionId, Amount, Currency, PaymentMethod, Email, Phone, Device, AppVersion, Other];
}
