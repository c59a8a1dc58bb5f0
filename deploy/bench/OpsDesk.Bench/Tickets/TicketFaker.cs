using System.Globalization;
using System.Text;
using OpsDesk.Db.Tickets;

namespace OpsDesk.Bench.Tickets;

/// <summary>
/// Generates realistic support tickets for load runs and seeding: subjects and descriptions drawn
/// per category from templates with varied order numbers, amounts, apps and wording, so full-text
/// search sees a believable spread of common and rare words.
/// </summary>
public static class TicketFaker
{
    private sealed record Theme(string Category, string[] Subjects, string[] Details);

    private static readonly Theme[] Themes =
    [
        new("payments",
            ["Payment failed for order #{order}", "Card charged twice for order #{order}", "UPI payment of {amount} deducted but order not placed",
             "Payment stuck in processing", "Wallet top-up of {amount} not credited", "Chargeback notice for order #{order}"],
            ["The amount of {amount} was debited from my {bank} account but the order page says the payment failed.",
             "I tried paying with my {bank} card three times and every attempt was declined, yet I see pending charges.",
             "My bank statement shows two identical charges of {amount} for the same order.",
             "The checkout spinner kept loading and then showed an error, but the money left my account."]),
        new("orders",
            ["Order #{order} not delivered", "Wrong item received in order #{order}", "Cannot track order #{order}",
             "Order #{order} cancelled without reason", "Delivery delayed by {days} days"],
            ["The tracking page has not changed for {days} days and the courier does not answer.",
             "I ordered a {item} but the box contained something else entirely.",
             "The order was marked as delivered but nothing arrived at my address.",
             "I received a cancellation email for order #{order} even though I never asked to cancel."]),
        new("refunds",
            ["Refund not received for order #{order}", "Refund of {amount} still pending", "Partial refund instead of full refund",
             "Where is my refund for return #{order}"],
            ["The return was picked up {days} days ago and the refund of {amount} has still not reached my account.",
             "Support promised a full refund but I only got part of the amount back.",
             "The refund status says processed, but my {bank} account shows nothing."]),
        new("account_access",
            ["Cannot log in to my account", "Password reset link expired", "Account locked after failed attempts",
             "Two-factor login keeps failing", "Email change not working"],
            ["Every time I try to sign in on the {app} app it says my credentials are invalid, although I reset the password.",
             "The reset link in the email opens an expired page, even when I click it within a minute.",
             "My account was locked after a few attempts and I have no way to unlock it myself."]),
        new("otp_delivery",
            ["OTP not received on my phone", "Verification code arrives too late", "No SMS code for login",
             "OTP email goes to spam"],
            ["I requested the one-time password {count} times and no SMS arrived on my {carrier} number.",
             "The code arrives after it has already expired, so I can never complete the verification.",
             "The verification email lands in spam and sometimes not at all."]),
        new("kyc",
            ["KYC documents rejected", "KYC verification pending for {days} days", "Cannot upload ID for verification",
             "Address proof not accepted"],
            ["I uploaded my passport and utility bill but the verification was rejected without a reason.",
             "My identity check has been pending for {days} days and my account limits are blocked meanwhile.",
             "The upload button fails with an error for every document I try."]),
        new("app_bug",
            ["App crashes when opening {screen}", "Blank screen on the {screen} page", "Buttons not responding in {app} app",
             "Dark mode makes text unreadable", "Notifications stopped working"],
            ["Since the last update the {app} app closes immediately when I open the {screen} screen.",
             "The {screen} page stays blank on my {device} no matter how often I refresh.",
             "I reinstalled the app and cleared the cache, but the problem remains on version {version}."]),
        new("other",
            ["Question about my invoice", "Feedback about your support", "Change of delivery address", "Request to close my account",
             "Business partnership enquiry"],
            ["I would like to know why the invoice shows a different amount than the order confirmation.",
             "I want to share some feedback about my last conversation with your team.",
             "Please tell me how I can change the address on my profile."]),
    ];

    private static readonly string[] Openers =
        ["Hello,", "Hi team,", "Good morning,", "Dear support,", "Hi,", ""];

    private static readonly string[] Closers =
        ["Please help as soon as possible.", "Thanks in advance.", "This is urgent for me.", "Kind regards.",
         "I have attached screenshots.", "Looking forward to your reply.", ""];

    private static readonly string[] Banks = ["HDFC", "ICICI", "Chase", "Barclays", "Revolut", "Monzo", "Santander", "Wells Fargo"];
    private static readonly string[] Apps = ["Android", "iOS", "web", "desktop"];
    private static readonly string[] Screens = ["orders", "wallet", "profile", "checkout", "settings", "rewards", "cart"];
    private static readonly string[] Devices = ["Pixel 8", "iPhone 15", "Galaxy S23", "OnePlus 12", "iPad Air", "laptop"];
    private static readonly string[] Items = ["blue jacket", "phone case", "coffee maker", "running shoes", "headphones", "desk lamp"];
    private static readonly string[] Carriers = ["Airtel", "Jio", "Vodafone", "T-Mobile", "Verizon", "O2"];
    private static readonly string[] Domains = ["example.com", "example.org", "mail.example.net", "customer.example"];

    /// <summary>Sources weighted roughly like a real desk: most tickets come from the web and email.</summary>
    private static readonly (string Value, int Weight)[] SourceWeights =
        [("web", 40), ("email", 30), ("chat", 15), ("api", 10), ("phone", 5)];

    private static readonly (string Value, int Weight)[] PriorityWeights =
        [("P0", 3), ("P1", 17), ("P2", 50), ("P3", 30)];

    public static FakeTicket Next(Random random)
    {
        var theme = Themes[random.Next(Themes.Length)];
        var subject = Fill(theme.Subjects[random.Next(theme.Subjects.Length)], random);

        var description = new StringBuilder(512);
        var opener = Openers[random.Next(Openers.Length)];
        if (opener.Length > 0)
            description.Append(opener).Append(' ');
        var sentences = 1 + random.Next(3);
        for (var i = 0; i < sentences; i++)
            description.Append(Fill(theme.Details[random.Next(theme.Details.Length)], random)).Append(' ');
        description.Append(Fill("My reference is {ref}.", random)).Append(' ');
        description.Append(Closers[random.Next(Closers.Length)]);

        var email = random.Next(10) < 7
            ? $"user{random.Next(1_000_000).ToString(CultureInfo.InvariantCulture)}@{Domains[random.Next(Domains.Length)]}"
            : null;
        return new FakeTicket(subject, description.ToString().Trim(), Pick(SourceWeights, random), email, theme.Category, Pick(PriorityWeights, random));
    }

    /// <summary>A status for a seeded ticket: older tickets are mostly resolved or closed.</summary>
    public static string SeedStatus(Random random) => random.Next(100) switch
    {
        < 35 => TicketStatuses.Open,
        < 50 => TicketStatuses.Pending,
        < 80 => TicketStatuses.Resolved,
        _ => TicketStatuses.Closed,
    };

    /// <summary>A triage status for a seeded ticket: most are classified, a few queued, running or failed.</summary>
    public static string SeedTriageStatus(Random random) => random.Next(100) switch
    {
        < 88 => TriageStatuses.Classified,
        < 93 => TriageStatuses.Queued,
        < 95 => TriageStatuses.Running,
        _ => TriageStatuses.Failed,
    };

    private static string Pick((string Value, int Weight)[] weights, Random random)
    {
        var total = 0;
        foreach (var (_, w) in weights)
            total += w;
        var roll = random.Next(total);
        foreach (var (value, w) in weights)
        {
            if (roll < w)
                return value;
            roll -= w;
        }

        return weights[^1].Value;
    }

    private static string Fill(string template, Random random)
    {
        if (!template.Contains('{', StringComparison.Ordinal))
            return template;
        var sb = new StringBuilder(template.Length + 32);
        var i = 0;
        while (i < template.Length)
        {
            var open = template.IndexOf('{', i);
            if (open < 0)
            {
                sb.Append(template, i, template.Length - i);
                break;
            }

            var close = template.IndexOf('}', open);
            sb.Append(template, i, open - i);
            sb.Append(Value(template.AsSpan(open + 1, close - open - 1), random));
            i = close + 1;
        }

        return sb.ToString();
    }

    private static string Value(ReadOnlySpan<char> name, Random random) => name switch
    {
        "order" => random.Next(100_000, 9_999_999).ToString(CultureInfo.InvariantCulture),
        "amount" => "$" + (random.Next(199, 99_999) / 100.0).ToString("0.00", CultureInfo.InvariantCulture),
        "days" => random.Next(2, 21).ToString(CultureInfo.InvariantCulture),
        "count" => random.Next(2, 9).ToString(CultureInfo.InvariantCulture),
        "ref" => "REF-" + random.Next(0x100000, 0xFFFFFF).ToString("X", CultureInfo.InvariantCulture),
        "version" => $"{random.Next(3, 9)}.{random.Next(0, 20)}.{random.Next(0, 9)}",
        "bank" => Banks[random.Next(Banks.Length)],
        "app" => Apps[random.Next(Apps.Length)],
        "screen" => Screens[random.Next(Screens.Length)],
        "device" => Devices[random.Next(Devices.Length)],
        "item" => Items[random.Next(Items.Length)],
        "carrier" => Carriers[random.Next(Carriers.Length)],
        _ => throw new ArgumentException($"unknown placeholder {name}", nameof(name)),
    };
}
