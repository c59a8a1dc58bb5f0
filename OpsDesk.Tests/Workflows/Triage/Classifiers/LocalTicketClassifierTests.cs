using OpsDesk.Workflows.Triage.Classifiers;
using OpsDesk.Workflows.Triage.Classifiers.Local;

namespace OpsDesk.Tests.Workflows.Triage.Classifiers;

public sealed class LocalTicketClassifierTests
{
    private static readonly TicketText PaymentSeed = new(
        1,
        "Payment failed but money debited",
        "I tried paying ₹2,499 via UPI for order ORD-88231 and the app showed failed, but the amount was debited from my account. Transaction id 412345678901.",
        "web");

    private static readonly TicketText CrashSeed = new(
        4,
        "App crashes on launch",
        "After updating to version 5.2.1 the app crashes immediately on my Pixel 7. Please fix.",
        "web");

    private readonly LocalTicketClassifier classifier = new();

    [Test]
    public async Task Payment_seed_yields_order_amount_method_transaction_and_currency_entities()
    {
        var result = await classifier.ClassifyAsync(PaymentSeed, CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(result.Category, Is.EqualTo("payments"));
            Assert.That(result.Priority, Is.EqualTo("P1"));
            Assert.That(result.Entities, Does.Contain(new ExtractedEntity("order_id", "ORD-88231")));
            Assert.That(result.Entities, Does.Contain(new ExtractedEntity("amount", "₹2,499")));
            Assert.That(result.Entities, Does.Contain(new ExtractedEntity("currency", "INR")));
            Assert.That(result.Entities, Does.Contain(new ExtractedEntity("payment_method", "UPI")));
            Assert.That(result.Entities, Does.Contain(new ExtractedEntity("transaction_id", "412345678901")));
            Assert.That(result.Entities.Select(e => e.Type), Is.SubsetOf(EntityTypes.All));
        });
    }

    [Test]
    public async Task Crash_seed_yields_version_and_device_entities()
    {
        var result = await classifier.ClassifyAsync(CrashSeed, CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(result.Category, Is.EqualTo("app_bug"));
            Assert.That(result.Priority, Is.EqualTo("P2"));
            Assert.That(result.Entities, Does.Contain(new ExtractedEntity("app_version", "5.2.1")));
            Assert.That(result.Entities, Does.Contain(new ExtractedEntity("device", "Pixel 7")));
        });
    }

    [Test]
    public async Task Otp_and_refund_seeds_yield_phone_order_and_amount()
    {
        var otp = await classifier.ClassifyAsync(
            new TicketText(2, "OTP not received", "I am not getting the OTP on my phone +91 98765 43210 while logging in. Tried 5 times since morning.", "chat"),
            CancellationToken.None);
        var refund = await classifier.ClassifyAsync(
            new TicketText(3, "Refund not processed", "I returned order #556677 two weeks ago and still have not received my refund of $45.99.", "email"),
            CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That((otp.Category, otp.Priority), Is.EqualTo(("otp_delivery", "P1")));
            Assert.That(otp.Entities, Does.Contain(new ExtractedEntity("phone", "+91 98765 43210")));
            Assert.That((refund.Category, refund.Priority), Is.EqualTo(("refunds", "P2")));
            Assert.That(refund.Entities, Does.Contain(new ExtractedEntity("order_id", "556677")));
            Assert.That(refund.Entities, Does.Contain(new ExtractedEntity("amount", "$45.99")));
            Assert.That(refund.Entities, Does.Contain(new ExtractedEntity("currency", "USD")));
        });
    }

    [Test]
    public async Task Pan_card_is_a_document_not_a_payment_method()
    {
        var result = await classifier.ClassifyAsync(
            new TicketText(13, "Video KYC", "The call drops when I show my PAN card. I paid by debit card earlier.", "web"), CancellationToken.None);

        Assert.That(result.Entities.Where(e => e.Type == "payment_method"), Is.EqualTo(new[] { new ExtractedEntity("payment_method", "debit card") }));
    }

    [Test]
    public async Task Same_ticket_twice_gives_the_same_classification()
    {
        var first = await classifier.ClassifyAsync(PaymentSeed, CancellationToken.None);
        var second = await new LocalTicketClassifier().ClassifyAsync(PaymentSeed with { TicketId = 99 }, CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(second with { Entities = [] }, Is.EqualTo(first with { Entities = [] }));
            Assert.That(second.Entities, Is.EqualTo(first.Entities));
        });
    }

    [Test]
    public async Task Result_is_tagged_local_with_model_and_prompt_version()
    {
        var result = await classifier.ClassifyAsync(PaymentSeed, CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(result.Provider, Is.EqualTo("local"));
            Assert.That(result.Model, Is.EqualTo("lexicon-v1"));
            Assert.That(result.PromptVersion, Is.EqualTo("local-v1"));
            Assert.That(result.Confidence, Is.InRange(0.0, 1.0));
        });
    }

    [Test]
    public async Task Summary_is_the_first_sentences_collapsed_and_at_most_280_characters()
    {
        var longSentence = string.Join(' ', Enumerable.Repeat("the export keeps failing with a timeout", 12));
        var ticket = new TicketText(5, "Export fails", $"First   line\n\nof the problem.  {longSentence}. Third sentence.", "web");

        var result = await classifier.ClassifyAsync(ticket, CancellationToken.None);
        var seed = await classifier.ClassifyAsync(PaymentSeed, CancellationToken.None);
        var huge = await classifier.ClassifyAsync(ticket with { Description = longSentence + longSentence }, CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(result.Summary, Is.EqualTo("First line of the problem."));
            Assert.That(seed.Summary, Is.EqualTo(PaymentSeed.Description[..PaymentSeed.Description.IndexOf(" Transaction", StringComparison.Ordinal)] + " Transaction id 412345678901."));
            Assert.That(huge.Summary, Has.Length.LessThanOrEqualTo(280));
            Assert.That(huge.Summary, Does.EndWith("…"));
        });
    }

    [Test]
    public async Task Empty_description_summarises_the_subject()
    {
        var result = await classifier.ClassifyAsync(new TicketText(6, "  Card   declined ", "", "web"), CancellationToken.None);

        Assert.That(result.Summary, Is.EqualTo("Card declined"));
    }

    [TestCase("मैंने ₹299 का मोबाइल रिचार्ज किया, पैसे कट गए लेकिन रिचार्ज नहीं हुआ।", "hi")]
    [TestCase("Order cancel kiye 10 din ho gaye, refund abhi tak nahi aaya.", "hi")]
    [TestCase("Intenté pagar con mi tarjeta y el pago fue rechazado, pero el cargo aparece en mi banco.", "es")]
    [TestCase("J'ai retourné ma commande et je n'ai toujours pas reçu mon remboursement.", "fr")]
    [TestCase("Die App stürzt nach dem Update immer beim Start ab, bitte helfen Sie mir.", "de")]
    [TestCase("Não consigo entrar na minha conta, aparece senha incorreta mesmo depois de redefinir.", "pt")]
    [TestCase("The app crashes when I open my statements.", "en")]
    [TestCase("12345", "en")]
    public async Task Language_is_detected_by_script_and_stopwords(string description, string language)
    {
        var result = await classifier.ClassifyAsync(new TicketText(7, "", description, "web"), CancellationToken.None);

        Assert.That(result.Language, Is.EqualTo(language));
    }

    [TestCase("This is unacceptable, the worst service ever. I want my money back.", "negative")]
    [TestCase("Thanks a lot, the agent was very helpful. Great service!", "positive")]
    [TestCase("Please update the billing address on my account.", "neutral")]
    public async Task Sentiment_comes_from_the_lexicon(string description, string sentiment)
    {
        var result = await classifier.ClassifyAsync(new TicketText(8, "", description, "web"), CancellationToken.None);

        Assert.That(result.Sentiment, Is.EqualTo(sentiment));
    }

    [Test]
    public async Task Ticket_without_any_known_word_is_other_with_low_confidence()
    {
        var result = await classifier.ClassifyAsync(new TicketText(9, "Hello", "Lorem ipsum dolor sit amet.", "web"), CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(result.Category, Is.EqualTo("other"));
            Assert.That(result.Confidence, Is.LessThan(0.5));
        });
    }

    [Test]
    public async Task Clear_ticket_is_more_confident_than_a_mixed_one()
    {
        var clear = await classifier.ClassifyAsync(new TicketText(10, "KYC pending", "My video KYC is pending and the KYC documents were uploaded.", "web"), CancellationToken.None);
        var mixed = await classifier.ClassifyAsync(new TicketText(11, "Help", "Refund for my order, app crashed during payment.", "web"), CancellationToken.None);

        Assert.That(clear.Confidence, Is.GreaterThan(mixed.Confidence));
    }

    [TestCase("Our dashboard is down for all users since 10:00.", "P0")]
    [TestCase("There is an unauthorized transaction on my card.", "P0")]
    [TestCase("I was charged twice for the same bill.", "P1")]
    [TestCase("I am locked out of my account.", "P1")]
    [TestCase("How do I change my registered email?", "P3")]
    [TestCase("The CSV export is empty.", "P2")]
    public async Task Priority_follows_urgency_and_impact_cues(string description, string priority)
    {
        var result = await classifier.ClassifyAsync(new TicketText(12, "", description, "web"), CancellationToken.None);

        Assert.That(result.Priority, Is.EqualTo(priority));
    }

    [Test]
    public void Cancelled_token_is_honoured()
    {
        using var cts = new CancellationTokenSource();
        cts.Cancel();

        Assert.That(async () => await classifier.ClassifyAsync(PaymentSeed, cts.Token), Throws.InstanceOf<OperationCanceledException>());
    }
}
