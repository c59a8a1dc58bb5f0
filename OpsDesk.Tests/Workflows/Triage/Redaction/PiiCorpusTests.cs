using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using OpsDesk.Tests.Support;
using OpsDesk.Tests.Workflows.Triage.Classifiers;
using OpsDesk.Workflows.Triage.Classifiers;
using OpsDesk.Workflows.Triage.Redaction;

namespace OpsDesk.Tests.Workflows.Triage.Redaction;

/// <summary>
/// The PII corpus (Fixtures/pii/corpus.json): every listed value must be absent from every request the
/// openai classifier sends, also once separators are stripped; the listed look-alikes must stay.
/// </summary>
public sealed partial class PiiCorpusTests
{
    private static readonly JsonSerializerOptions JsonOptions = new() { PropertyNameCaseInsensitive = true };
    private static readonly CorpusEntry[] Entries = Load();

    [Test]
    public void Corpus_has_at_least_forty_entries_covering_every_kind()
    {
        var all = string.Join("\n", Entries.SelectMany(e => e.Pii));
        Assert.Multiple(() =>
        {
            Assert.That(Entries, Has.Length.GreaterThanOrEqualTo(40));
            Assert.That(all, Does.Contain("@gmail.com").And.Contain("@okaxis").And.Contain("+91").And.Contain("(415)")
                .And.Contain("+44").And.Contain("+49").And.Contain("+33").And.Contain("GB82").And.Contain("ABCDE1234F")
                .And.Contain("123-45-6789").And.Contain("AB123456C").And.Contain("2345 6789 0123").And.Contain("5555-5555-5555-4444"));
            Assert.That(Entries.SelectMany(e => e.Kept), Does.Contain("4111 1111 1111 1112"), "a Luhn-invalid 16-digit look-alike");
        });
    }

    [Test]
    public void Redacted_text_contains_no_original_value()
    {
        Assert.Multiple(() =>
        {
            foreach (var entry in Entries)
            {
                var redactor = new PiiRedactor();
                var text = redactor.Redact(entry.Subject) + "\n" + redactor.Redact(entry.Description);
                AssertClean(text, entry);
            }
        });
    }

    [Test]
    public async Task No_original_value_reaches_the_provider()
    {
        await using var server = await FakeChatCompletionsServer.StartAsync();
        var (services, classifier) = ClassifierServices.OpenAI(server);
        await using var _ = services;

        for (var i = 0; i < Entries.Length; i++)
        {
            var entry = Entries[i];
            server.EnqueueCompletion(Replies.Valid());
            await classifier.ClassifyAsync(new TicketText(1000 + i, entry.Subject, entry.Description, "web"), CancellationToken.None);
        }

        var requests = server.Requests;
        Assert.That(requests, Has.Count.EqualTo(Entries.Length));
        Assert.Multiple(() =>
        {
            for (var i = 0; i < Entries.Length; i++)
                AssertClean(requests[i].DecodedStrings(), Entries[i], requests[i].MessageText("user"));
        });
    }

    /// <param name="sent">Everything sent (all strings of the request body).</param>
    /// <param name="ticketText">The ticket part alone, for the digits-only check (the fixed prompt has digits of its own).</param>
    private static void AssertClean(string sent, CorpusEntry entry, string? ticketText = null)
    {
        var squeezed = Squeeze(sent);
        var digitsOnly = string.Concat((ticketText ?? sent).Where(char.IsAsciiDigit));
        foreach (var value in entry.Pii)
        {
            Assert.That(sent, Does.Not.Contain(value).IgnoreCase, $"'{value}' leaked from: {entry.Description}");
            Assert.That(squeezed, Does.Not.Contain(Squeeze(value)).IgnoreCase, $"'{value}' leaked without separators from: {entry.Description}");
            var digits = string.Concat(value.Where(char.IsAsciiDigit));
            if (digits.Length >= 9 && !value.Contains('@', StringComparison.Ordinal))
                Assert.That(digitsOnly, Does.Not.Contain(digits), $"the digits of '{value}' leaked from: {entry.Description}");
        }

        foreach (var value in entry.Kept)
            Assert.That(sent, Does.Contain(value), $"'{value}' is not personal data and should stay readable");
    }

    /// <summary>Drops whitespace and the separators people put in numbers: - . ( ) /.</summary>
    private static string Squeeze(string text) => Separators().Replace(text, "");

    [GeneratedRegex(@"[\s\-.()/]")]
    private static partial Regex Separators();

    private static CorpusEntry[] Load()
    {
        var path = Path.Combine(TestContext.CurrentContext.TestDirectory, "Fixtures", "pii", "corpus.json");
        using var stream = File.OpenRead(path);
        var corpus = JsonSerializer.Deserialize<Corpus>(stream, JsonOptions)
            ?? throw new InvalidOperationException("Empty corpus.");
        return corpus.Entries;
    }

    private sealed record Corpus(CorpusEntry[] Entries);

    private sealed class CorpusEntry
    {
        public string Subject { get; init; } = "";

        public string Description { get; init; } = "";

        public string[] Pii { get; init; } = [];

        public string[] Kept { get; init; } = [];
    }
}
