namespace OpsDesk.Workflows.Triage.Classifiers.Local;

/// <summary>What a lexicon phrase is evidence for: a category (first eight, in <c>Categories.All</c> order) or a cue.</summary>
internal enum Signal
{
    Payments,
    Orders,
    Refunds,
    AccountAccess,
    OtpDelivery,
    Kyc,
    AppBug,
    Other,

    /// <summary>Fraud or a transaction the customer did not make.</summary>
    Fraud,

    /// <summary>Someone else got into the account.</summary>
    Takeover,

    /// <summary>Many users affected: outage wording.</summary>
    Outage,

    /// <summary>Money left the customer's account.</summary>
    Debited,

    /// <summary>The payment or recharge did not complete.</summary>
    Failed,

    /// <summary>Charged twice.</summary>
    Duplicate,

    /// <summary>Balance or money vanished.</summary>
    Vanished,

    /// <summary>The customer cannot get into the account.</summary>
    LoginBlocked,

    /// <summary>A code (OTP, verification code) is mentioned.</summary>
    CodeMention,

    /// <summary>Something does not arrive.</summary>
    NotArriving,

    /// <summary>Login context (for OTP trouble).</summary>
    LoginContext,

    /// <summary>Payment context (for OTP trouble).</summary>
    PaymentContext,

    /// <summary>A general question or request for information.</summary>
    Question,

    /// <summary>Feedback or a feature wish.</summary>
    Feedback,

    /// <summary>Something is wrong (used to tell a question from a complaint).</summary>
    Problem,

    Negative,
    Positive,

    /// <summary>
    /// Many people affected, in words that are not outage wording ("none of us", "my colleagues", "hundreds"):
    /// evidence for P0 in the hybrid classifier's priority head only, never a deterministic signal.
    /// </summary>
    Widespread,
}
