using System.Text.Json.Serialization;

namespace OpsDesk.Db.Tickets;

/// <summary>
/// The categories the triage can assign, in the order the classifiers rank them (<c>other</c> last).
/// The <see cref="JsonStringEnumMemberNameAttribute"/> strings are the wire names and
/// <c>tickets.category</c>'s values.
/// </summary>
[JsonConverter(typeof(JsonStringEnumConverter<TicketCategory>))]
public enum TicketCategory
{
    [JsonStringEnumMemberName("payments")]
    Payments,

    [JsonStringEnumMemberName("orders")]
    Orders,

    [JsonStringEnumMemberName("refunds")]
    Refunds,

    [JsonStringEnumMemberName("account_access")]
    AccountAccess,

    [JsonStringEnumMemberName("otp_delivery")]
    OtpDelivery,

    [JsonStringEnumMemberName("kyc")]
    Kyc,

    [JsonStringEnumMemberName("app_bug")]
    AppBug,

    [JsonStringEnumMemberName("other")]
    Other,
}
