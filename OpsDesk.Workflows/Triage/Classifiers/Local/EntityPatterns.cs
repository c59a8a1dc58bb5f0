using System.Text.RegularExpressions;

namespace OpsDesk.Workflows.Triage.Classifiers.Local;

/// <summary>Source-generated patterns for the entities the local classifier extracts.</summary>
internal static partial class EntityPatterns
{
    private const RegexOptions Options = RegexOptions.CultureInvariant | RegexOptions.ExplicitCapture;

    /// <summary>ORD-88231, ORDER_12345, OD12345678.</summary>
    [GeneratedRegex(@"(?<![\w\-])(?:ORD|ORDER|OD)[\-_]?[0-9]{4,}(?![\w\-])", Options | RegexOptions.IgnoreCase)]
    public static partial Regex OrderCode();

    /// <summary>#556677, or the digits after "order", "order id", "order no.".</summary>
    [GeneratedRegex(@"(?<![\w#])#(?<id>[0-9]{4,12})(?!\w)|\border\s+(?:id|no\.?|number|num)?\s*[:#]?\s*(?<id>[0-9]{5,14})(?![\w\-])", Options | RegexOptions.IgnoreCase)]
    public static partial Regex OrderNumber();

    /// <summary>TXN8K2J9Q1, pay_ABC123..., and 12–22 digits after UTR / RRN / transaction id; bare 12-digit UTRs.</summary>
    [GeneratedRegex(@"(?<![\w\-])(?<id>(?:TXN|TRX)[\-_]?[A-Z0-9]{6,}|(?:pay|pi|ch|txn)_[A-Za-z0-9]{8,})(?![\w\-])|\b(?:utr|rrn|ref(?:erence)?|transaction|txn)\b(?:\s*(?:id|no\.?|number|ref))?\s*[:#\-]?\s*(?<id>[0-9]{12,22}|[A-Z]{2,6}[0-9][A-Z0-9]{7,})(?![\w\-])|(?<![\w\-.,₹$€£])(?<id>[0-9]{12})(?![\w\-.,])", Options | RegexOptions.IgnoreCase)]
    public static partial Regex TransactionId();

    /// <summary>₹2,499  Rs. 1,850  INR 500  $45.99  USD 20  €35  59,90 €  1299 rupees.</summary>
    [GeneratedRegex(@"(?<![A-Za-z])(?<cur>₹|Rs\.?|INR|\$|USD|US\$|€|EUR|£|GBP)\s?(?<num>[0-9](?:[0-9,]*[0-9])?(?:\.[0-9]{1,2})?)(?![0-9])|(?<![\w.,])(?<num>[0-9][0-9.,]*[0-9]|[0-9])\s?(?<cur>€|₹|\$|rs\.?|rupees?|inr|usd|eur|euros?|dollars?|gbp|pounds?)(?![\w])", Options | RegexOptions.IgnoreCase)]
    public static partial Regex Amount();

    /// <summary>Currency codes written as words.</summary>
    [GeneratedRegex(@"(?<![\w])(?<code>INR|USD|EUR|GBP|AED|SGD)(?![\w])", Options)]
    public static partial Regex CurrencyCode();

    /// <summary>Payment methods, normalised by <see cref="LocalTicketClassifier"/>; a PAN, Aadhaar, gift or SIM card is not one.</summary>
    [GeneratedRegex(@"\b(?<m>upi|bhim|gpay|google\s?pay|phonepe|paytm|credit\s+card|debit\s+card|card|net\s?banking|internet\s+banking|wallet|cod|cash\s+on\s+delivery|emi|paypal|apple\s+pay|bank\s+transfer|neft|imps|rtgs|tarjeta|carte)s?\b(?<!\b(?:pan|aadhaa?r|gift|sim|id|ration|scratch)\s+cards?)", Options | RegexOptions.IgnoreCase)]
    public static partial Regex PaymentMethod();

    /// <summary>Device names: iPhone 14 Pro, Pixel 7, Samsung Galaxy S22, OnePlus 11R, Redmi Note 12, iPad Air, MacBook Pro.</summary>
    [GeneratedRegex(@"\b(?:iPhone\s?(?:[0-9]{1,2}|SE|X[RS]?)(?:\s?(?:Pro\s?Max|Pro|Plus|Mini|Max))?|(?:Google\s)?Pixel\s?[0-9]{1,2}(?:\s?(?:Pro|XL|a))?|(?:Samsung\s)?Galaxy\s(?:[A-Z][0-9]{1,3}\+?(?:\s?(?:Ultra|Plus|FE))?|Note\s?[0-9]{1,2}|Tab\s[A-Z][0-9]{0,2}|Z\s?(?:Fold|Flip)\s?[0-9]?)|OnePlus\s?(?:Nord\s?)?[0-9]{1,2}[RT]?|(?:Xiaomi\s)?Redmi\s(?:Note\s)?[0-9]{1,2}(?:\sPro)?|Vivo\s[VYXT][0-9]{1,3}|Oppo\s(?:Reno\s?)?[A-Z]?[0-9]{1,3}|Realme\s[0-9]{1,2}(?:\sPro)?|iPad(?:\s(?:Pro|Air|Mini))?|MacBook\s(?:Pro|Air))\b", Options | RegexOptions.IgnoreCase)]
    public static partial Regex Device();

    /// <summary>v3.2.1, version 4.1, app version 6.1.0, build 5.2.</summary>
    [GeneratedRegex(@"(?<![\w.])(?:v|ver\.?\s?|version\s|build\s)(?<v>[0-9]{1,3}(?:\.[0-9]{1,4}){1,3})(?!\w|\.[0-9])", Options | RegexOptions.IgnoreCase)]
    public static partial Regex AppVersion();

    /// <summary>Sentence ends (., !, ?, Devanagari danda) followed by whitespace.</summary>
    [GeneratedRegex(@"(?<=[.!?।])\s+", Options)]
    public static partial Regex SentenceBreak();
}
