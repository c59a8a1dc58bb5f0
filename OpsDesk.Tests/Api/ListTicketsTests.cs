using System.Net;
using System.Text.Json.Nodes;
using Npgsql;
using NpgsqlTypes;
using OpsDesk.Tests.Support;

namespace OpsDesk.Tests.Api;

public sealed class ListTicketsTests : ApiFixture
{
    /// <summary>A word no other test uses, so a search for it isolates this test's tickets.</summary>
    private static string Token() => "tok" + Guid.NewGuid().ToString("N")[..12];

    private async Task<List<long>> CreateManyAsync(string token, int count, string source = "web")
    {
        var ids = new List<long>();
        foreach (var chunk in Enumerable.Range(0, count).Chunk(25))
        {
            var created = await Task.WhenAll(chunk.Select(i =>
                Tickets.CreateAsync(Api, Tickets.Body(subject: $"Ticket {i}", description: $"Order issue {token} number {i}", source: source))));
            ids.AddRange(created.Select(t => t["id"]!.GetValue<long>()));
        }

        return ids;
    }

    private async Task<(List<long> Ids, string? Next)> PageAsync(string query)
    {
        using var response = await Api.GetAsync("/api/tickets?" + query);
        var text = await response.Content.ReadAsStringAsync();
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), text);
        var page = JsonNode.Parse(text)!;
        var ids = page["items"]!.AsArray().Select(i => i!["id"]!.GetValue<long>()).ToList();
        return (ids, page["nextCursor"]?.GetValue<string>());
    }

    [Test]
    public async Task Paging_over_500_tickets_returns_each_once_newest_first()
    {
        var token = Token();
        var created = await CreateManyAsync(token, 500);

        var seen = new List<long>();
        string? cursor = null;
        var pages = 0;
        do
        {
            var (ids, next) = await PageAsync($"q={token}&limit=37" + (cursor is null ? "" : "&cursor=" + Uri.EscapeDataString(cursor)));
            Assert.That(ids, Has.Count.LessThanOrEqualTo(37));
            seen.AddRange(ids);
            cursor = next;
            pages++;
        }
        while (cursor is not null && pages < 100);

        Assert.Multiple(() =>
        {
            Assert.That(seen, Has.Count.EqualTo(500));
            Assert.That(seen, Is.Unique);
            Assert.That(seen, Is.EquivalentTo(created));
            Assert.That(seen, Is.Ordered.Descending);
            Assert.That(pages, Is.EqualTo(14));
        });
    }

    [Test]
    public async Task Default_limit_is_25_and_the_last_page_has_no_cursor()
    {
        var token = Token();
        await CreateManyAsync(token, 30);

        var (first, next) = await PageAsync($"q={token}");
        var (second, last) = await PageAsync($"q={token}&cursor={Uri.EscapeDataString(next!)}");

        Assert.That(first, Has.Count.EqualTo(25));
        Assert.That(second, Has.Count.EqualTo(5));
        Assert.That(last, Is.Null);
    }

    [Test]
    public async Task Search_matches_words_in_subject_and_description()
    {
        var token = Token();
        var inSubject = await Tickets.CreateAsync(Api, Tickets.Body(subject: $"Refund {token} pending", description: "no word here"));
        var inDescription = await Tickets.CreateAsync(Api, Tickets.Body(subject: "Something", description: $"The {token} failed twice"));
        await Tickets.CreateAsync(Api, Tickets.Body(subject: "Unrelated", description: "Nothing to see"));

        var (ids, _) = await PageAsync($"q={token}");

        Assert.That(ids, Is.EquivalentTo(new[] { inSubject["id"]!.GetValue<long>(), inDescription["id"]!.GetValue<long>() }));
    }

    [Test]
    public async Task Search_uses_stemming_and_phrases()
    {
        var token = Token();
        var t = await Tickets.CreateAsync(Api, Tickets.Body(subject: $"Payments failing for {token}", description: "Several refunds were declined"));

        var (stemmed, _) = await PageAsync($"q={Uri.EscapeDataString($"{token} refund")}");
        var (phrase, _) = await PageAsync($"q={Uri.EscapeDataString($"\"payments failing\" {token}")}");
        var (excluded, _) = await PageAsync($"q={Uri.EscapeDataString($"{token} -refund")}");

        Assert.That(stemmed, Is.EqualTo(new[] { t["id"]!.GetValue<long>() }));
        Assert.That(phrase, Is.EqualTo(new[] { t["id"]!.GetValue<long>() }));
        Assert.That(excluded, Is.Empty);
    }

    [TestCase("source", "chat")]
    [TestCase("status", "pending")]
    [TestCase("priority", "P1")]
    [TestCase("category", "refunds")]
    public async Task Filter_returns_only_matching_tickets(string filter, string value)
    {
        var token = Token();
        var ids = await CreateManyAsync(token, 6, source: filter == "source" ? "phone" : "web");
        var matching = ids.Take(2).ToArray();
        if (filter == "source")
        {
            // Source is set at create time: make two tickets with the wanted source.
            matching = [.. (await CreateManyAsync(token, 2, source: value))];
        }
        else
        {
            await using var cmd = TestDatabase.DataSource.CreateCommand($"UPDATE tickets SET {filter} = @v WHERE id = ANY(@ids)");
            cmd.Parameters.AddWithValue("v", value);
            cmd.Parameters.Add(new NpgsqlParameter("ids", NpgsqlDbType.Array | NpgsqlDbType.Bigint) { Value = matching });
            await cmd.ExecuteNonQueryAsync();
        }

        var (found, _) = await PageAsync($"q={token}&{filter}={value}");

        Assert.That(found, Is.EquivalentTo(matching));
    }

    [TestCase("status=archived", "status")]
    [TestCase("priority=P9", "priority")]
    [TestCase("category=weather", "category")]
    [TestCase("source=fax", "source")]
    [TestCase("limit=0", "limit")]
    [TestCase("limit=101", "limit")]
    [TestCase("limit=ten", "limit")]
    [TestCase("limit=-5", "limit")]
    [TestCase("cursor=not-a-cursor", "cursor")]
    [TestCase("cursor=dDE6LTU", "cursor")]
    public async Task Invalid_query_parameter_gets_a_400_naming_it(string query, string field)
    {
        using var response = await Api.GetAsync("/api/tickets?" + query);

        await CreateTicketTests.AssertValidationProblem(response, field, field);
    }

    [Test]
    public async Task Limit_of_100_is_accepted()
    {
        var (ids, _) = await PageAsync("limit=100");
        Assert.That(ids, Has.Count.LessThanOrEqualTo(100));
    }
}
