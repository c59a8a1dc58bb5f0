using OpsDesk.Workflows.Triage.Redaction;

namespace OpsDesk.Tests.Workflows.Triage.Redaction;

public sealed class PiiRedactorTests
{
    [Test]
    public void Email_is_replaced_by_a_numbered_placeholder()
    {
        var redactor = new PiiRedactor();

        var text = redactor.Redact("Write to priya.sharma+orders@gmail.com or ops@shop.example.co.in please.");

        Assert.That(text, Is.EqualTo("Write to [EMAIL_1] or [EMAIL_2] please."));
    }

    [Test]
    public void Upi_id_without_a_dot_tld_is_a_upi_id_not_an_email()
    {
        var redactor = new PiiRedactor();

        var text = redactor.Redact("Refund to ravi.k@okaxis. My email is ravi.k@okaxis.com and 98765432@ybl paid.");

        Assert.That(text, Is.EqualTo("Refund to [UPI_1]. My email is [EMAIL_1] and [UPI_2] paid."));
    }

    [Test]
    public void Same_value_gets_the_same_placeholder_across_calls_and_spellings()
    {
        var redactor = new PiiRedactor();

        var subject = redactor.Redact("Call +91 98765 43210");
        var description = redactor.Redact("My number 9876543210 (also 098765 43210) and JOHN@EXAMPLE.COM, john@example.com");

        Assert.Multiple(() =>
        {
            Assert.That(subject, Is.EqualTo("Call [PHONE_1]"));
            Assert.That(description, Is.EqualTo("My number [PHONE_1] (also [PHONE_1]) and [EMAIL_1], [EMAIL_1]"));
            Assert.That(redactor.Originals["[PHONE_1]"], Is.EqualTo("+91 98765 43210"), "the first spelling is kept");
        });
    }

    [TestCase("+91 98765 43210")]
    [TestCase("+91-9123456789")]
    [TestCase("9123456789")]
    [TestCase("98450-12345")]
    [TestCase("(415) 555-0132")]
    [TestCase("+1 415-555-0199")]
    [TestCase("212-555-0147")]
    [TestCase("+1 (646) 555 0123")]
    [TestCase("+44 20 7946 0958")]
    [TestCase("07700 900123")]
    [TestCase("+49 30 123456")]
    [TestCase("+33 1 23 45 67 89")]
    [TestCase("06 12 34 56 78")]
    [TestCase("+34 612 345 678")]
    public void Phone_numbers_in_indian_us_and_eu_formats_are_redacted(string phone)
    {
        var text = new PiiRedactor().Redact($"Please call me on {phone} after 5.");

        Assert.That(text, Is.EqualTo("Please call me on [PHONE_1] after 5."));
    }

    [TestCase("4111 1111 1111 1111")]
    [TestCase("5555-5555-5555-4444")]
    [TestCase("3782 822463 10005")]
    [TestCase("4012888888881881")]
    [TestCase("4539 5789 7630 2910 126")]
    public void Luhn_valid_card_numbers_with_spaces_or_dashes_are_redacted(string card)
    {
        var text = new PiiRedactor().Redact($"Card {card} was charged twice.");

        Assert.That(text, Is.EqualTo("Card [CARD_1] was charged twice."));
    }

    [Test]
    public void Luhn_invalid_sixteen_digits_are_not_a_card()
    {
        var text = new PiiRedactor().Redact("Reference 4111 1111 1111 1112 and 4111111111111112 are not cards.");

        Assert.That(text, Is.EqualTo("Reference 4111 1111 1111 1112 and 4111111111111112 are not cards."));
    }

    [Test]
    public void Card_followed_by_another_number_is_still_redacted()
    {
        var text = new PiiRedactor().Redact("card 4916-3381-2345-6781 2 times charged");

        Assert.That(text, Is.EqualTo("card [CARD_1] 2 times charged"));
    }

    [Test]
    public void Iban_with_a_valid_check_is_redacted_and_a_wrong_check_is_not()
    {
        var redactor = new PiiRedactor();

        var text = redactor.Redact("IBAN GB82 WEST 1234 5698 7654 32 please, not GB82 WEST 1234 5698 7654 33 and NL91ABNA0417164300.");

        Assert.That(text, Is.EqualTo("IBAN [IBAN_1] please, not GB82 WEST 1234 5698 7654 33 and [IBAN_2]."));
    }

    [Test]
    public void National_ids_are_redacted_by_kind()
    {
        var text = new PiiRedactor().Redact(
            "Aadhaar 2345 6789 0123, aadhaar no 987654321098, PAN ABCDE1234F, SSN 123-45-6789, NI AB123456C.");

        Assert.That(text, Is.EqualTo("Aadhaar [AADHAAR_1], aadhaar no [AADHAAR_2], PAN [PAN_1], SSN [SSN_1], NI [NINO_1]."));
    }

    [Test]
    public void Order_ids_transaction_ids_amounts_and_versions_stay_readable()
    {
        const string Text = "Order ORD-88231 (#556677), transaction id 412345678901, ₹2,499 on 12/03/2024, app version 5.2.1, code 05.";

        Assert.That(new PiiRedactor().Redact(Text), Is.EqualTo(Text));
    }

    [Test]
    public void Restore_puts_the_originals_back_and_leaves_unknown_placeholders()
    {
        var redactor = new PiiRedactor();
        var redacted = redactor.Redact("Mail a@b.io, card 4111-1111-1111-1111");

        var restored = redactor.Restore(redacted + " [EMAIL_9] CARD_1");

        Assert.That(restored, Is.EqualTo("Mail a@b.io, card 4111-1111-1111-1111 [EMAIL_9] 4111-1111-1111-1111"));
    }

    [Test]
    public void Luhn_and_iban_checks_follow_their_standards()
    {
        Assert.Multiple(() =>
        {
            Assert.That(PiiChecks.IsLuhnValid("79927398713"), Is.True);
            Assert.That(PiiChecks.IsLuhnValid("79927398710"), Is.False);
            Assert.That(PiiChecks.IsIbanValid("DE89 3704 0044 0532 0130 00"), Is.True);
            Assert.That(PiiChecks.IsIbanValid("DE88 3704 0044 0532 0130 00"), Is.False);
            Assert.That(PiiChecks.IsIbanValid("FR14 2004 1010 0505 0001 3M02 606"), Is.True);
        });
    }
}
