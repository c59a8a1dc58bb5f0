using System.Text.RegularExpressions;
using OpsDesk.Db.Tickets;
using OpsDesk.Workflows.Triage.Redaction;

namespace OpsDesk.Workflows.Triage.Classifiers.Local;

/// <summary>
/// Offline, deterministic classifier: category from a weighted keyword lexicon, priority from urgency
/// and impact cues, entities by pattern, language by script and stopwords, sentiment from a small
/// lexicon, confidence from the margin between the two best categories, and an extractive summary.
/// No network, no key; thread-safe.
/// </summary>
public sealed class LocalTicketClassifier : ITicketClassifier
{
    public const string ProviderName = "local";
    public const string ModelName = "lexicon-v1";
    public const string PromptVersion = "local-v1";

    /// <summary>The same shapes the redactor treats as phones (UPI ids excluded by the patterns).</summary>
    private static readonly Regex[] PhonePatterns =
    [
        PiiPatterns.PhoneInternational(), PiiPatterns.PhoneUsParenthesized(), PiiPatterns.PhoneUsDashed(),
        PiiPatterns.PhoneIndia(), PiiPatterns.PhoneNational(),
    ];

    /// <summary>Subject words count more than description words.</summary>
    private const double SubjectFactor = 1.5;

    public string Provider => ProviderName;

    public Task<Classification> ClassifyAsync(TicketText ticket, CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        return Task.FromResult(Classify(ticket));
    }

    /// <summary>The synchronous core, for callers that need no task.</summary>
    public static Classification Classify(TicketText ticket) => Analyze(ticket).Classification;

    /// <summary>
    /// The classification with the evidence behind it: the lexicon's score per category (in
    /// <c>Categories.All</c> order) and whether the priority came from a deterministic signal (P0: fraud,
    /// takeover, outage; P1: money lost, locked out, OTP blocking a login or payment) rather than the default.
    /// </summary>
    public static LexiconAnalysis Analyze(TicketText ticket)
    {
        var scores = new double[LexiconMatcher.SignalCount];
        LexiconMatcher.Score(ticket.Subject, SubjectFactor, scores);
        LexiconMatcher.Score(ticket.Description, 1, scores);

        var (category, confidence) = PickCategory(scores);
        var priority = PickPriority(scores);
        var sentiment = (scores[(int)Signal.Positive] - (1.5 * scores[(int)Signal.Negative])) switch
        {
            > 0 => Sentiments.Positive,
            < 0 => Sentiments.Negative,
            _ => Sentiments.Neutral,
        };
        var language = LanguageDetector.Detect(LexiconMatcher.Normalize(ticket.Subject + " " + ticket.Description));
        var text = ticket.Subject + "\n" + ticket.Description;

        var classification = new Classification(
            Summary: Summarize(ticket),
            Category: category,
            Priority: priority,
            Entities: ExtractEntities(text),
            Confidence: confidence,
            Language: language,
            Sentiment: sentiment,
            Provider: ProviderName,
            Model: ModelName,
            PromptVersion: PromptVersion);
        return new LexiconAnalysis(classification, scores[..((int)Signal.Other + 1)], priority is "P0" or "P1", scores[((int)Signal.Other + 1)..]);
    }

    private static (string Category, double Confidence) PickCategory(double[] scores)
    {
        // Ties go to the earlier category in Categories.All, with "other" last.
        var best = -1;
        var second = -1;
        for (var i = 0; i <= (int)Signal.Other; i++)
        {
            if (best < 0 || scores[i] > scores[best])
            {
                second = best;
                best = i;
            }
            else if (second < 0 || scores[i] > scores[second])
            {
                second = i;
            }
        }

        var top = scores[best];
        if (top <= 0)
            return ("other", 0.2);
        var margin = (top - scores[second]) / top;         // 0 when tied, 1 when alone
        var strength = Math.Min(1, top / 4);               // a single weak hint is not certainty
        var confidence = Math.Clamp(0.3 + (0.65 * margin * strength) + (0.05 * strength), 0.05, 0.99);
        return (Categories.All[best], Math.Round(confidence, 2));
    }

    private static string PickPriority(double[] s)
    {
        bool Has(Signal signal) => s[(int)signal] > 0;

        if (Has(Signal.Fraud) || Has(Signal.Takeover) || Has(Signal.Outage))
            return "P0";

        var moneyLost = (Has(Signal.Debited) && Has(Signal.Failed))
            || (Has(Signal.Duplicate) && (Has(Signal.Debited) || s[(int)Signal.Payments] > 0))
            || (Has(Signal.Vanished) && s[(int)Signal.Payments] >= 3);
        var otpBlocking = Has(Signal.CodeMention) && Has(Signal.NotArriving)
            && (Has(Signal.LoginContext) || Has(Signal.PaymentContext));
        if (moneyLost || Has(Signal.LoginBlocked) || otpBlocking)
            return "P1";

        if ((Has(Signal.Question) || Has(Signal.Feedback)) && s[(int)Signal.Problem] < 1)
            return "P3";
        return "P2";
    }

    private static string Summarize(TicketText ticket)
    {
        var description = SummaryText.Collapse(ticket.Description);
        if (description.Length == 0)
            return SummaryText.Limit(SummaryText.Collapse(ticket.Subject));

        var sentences = EntityPatterns.SentenceBreak().Split(description);
        var summary = sentences[0];
        for (var i = 1; i < sentences.Length && i < 2; i++)
        {
            if (summary.Length + 1 + sentences[i].Length > SummaryText.MaxLength)
                break;
            summary += " " + sentences[i];
        }

        return SummaryText.Limit(summary);
    }

    private static List<ExtractedEntity> ExtractEntities(string text)
    {
        var entities = new List<ExtractedEntity>();
        var seen = new HashSet<ExtractedEntity>();
        void Add(string type, string value)
        {
            value = value.Trim();
            if (value.Length > 0 && seen.Add(new ExtractedEntity(type, value)))
                entities.Add(new ExtractedEntity(type, value));
        }

        foreach (Match m in EntityPatterns.OrderCode().Matches(text))
            Add(EntityTypes.OrderId, m.Value.ToUpperInvariant());
        foreach (Match m in EntityPatterns.OrderNumber().Matches(text))
            Add(EntityTypes.OrderId, m.Groups["id"].Value);
        foreach (Match m in EntityPatterns.TransactionId().Matches(text))
            Add(EntityTypes.TransactionId, m.Groups["id"].Value);

        var currencies = new List<string>();
        foreach (Match m in EntityPatterns.Amount().Matches(text))
        {
            Add(EntityTypes.Amount, m.Value);
            if (CurrencyOf(m.Groups["cur"].Value) is { } code)
                currencies.Add(code);
        }

        foreach (Match m in EntityPatterns.CurrencyCode().Matches(text))
            currencies.Add(m.Groups["code"].Value);
        foreach (var code in currencies)
            Add(EntityTypes.Currency, code);

        foreach (Match m in EntityPatterns.PaymentMethod().Matches(text))
            Add(EntityTypes.PaymentMethod, NormalizePaymentMethod(m.Groups["m"].Value));
        foreach (Match m in PiiPatterns.Email().Matches(text))
            Add(EntityTypes.Email, m.Value);
        foreach (var phone in Phones(text))
            Add(EntityTypes.Phone, phone);
        foreach (Match m in EntityPatterns.Device().Matches(text))
            Add(EntityTypes.Device, m.Value);
        foreach (Match m in EntityPatterns.AppVersion().Matches(text))
            Add(EntityTypes.AppVersion, m.Groups["v"].Value);
        return entities;
    }

    private static IEnumerable<string> Phones(string text)
    {
        var taken = new List<(int Start, int End)>();
        foreach (var pattern in PhonePatterns)
        {
            foreach (Match m in pattern.Matches(text))
            {
                var digits = PiiChecks.CountDigits(m.Value);
                if (digits is < 9 or > 15 || taken.Any(t => m.Index < t.End && t.Start < m.Index + m.Length))
                    continue;
                taken.Add((m.Index, m.Index + m.Length));
                yield return m.Value;
            }
        }
    }

    private static string? CurrencyOf(string symbol) => symbol.ToUpperInvariant().TrimEnd('.') switch
    {
        "₹" or "RS" or "INR" or "RUPEE" or "RUPEES" => "INR",
        "$" or "USD" or "US$" or "DOLLAR" or "DOLLARS" => "USD",
        "€" or "EUR" or "EURO" or "EUROS" => "EUR",
        "£" or "GBP" or "POUND" or "POUNDS" => "GBP",
        _ => null,
    };

    private static string NormalizePaymentMethod(string raw)
    {
        var m = string.Join(' ', raw.ToLowerInvariant().Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        return m switch
        {
            "upi" or "bhim" or "gpay" or "google pay" or "googlepay" or "phonepe" => "UPI",
            "credit card" => "credit card",
            "debit card" => "debit card",
            "card" or "tarjeta" or "carte" => "card",
            "net banking" or "netbanking" or "internet banking" => "net banking",
            "wallet" or "paytm" => "wallet",
            "cod" or "cash on delivery" => "COD",
            "emi" => "EMI",
            "paypal" => "PayPal",
            "apple pay" => "Apple Pay",
            _ => m.ToUpperInvariant() is var upper && upper is "NEFT" or "IMPS" or "RTGS" ? upper : "bank transfer",
        };
    }
}
