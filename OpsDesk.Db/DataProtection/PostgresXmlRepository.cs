using System.Xml.Linq;
using Dapper;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Npgsql;

namespace OpsDesk.Db.DataProtection;

/// <summary>
/// The data-protection key ring in <c>data_protection_keys</c>, so every API instance protects and
/// unprotects cookies and antiforgery tokens with the same keys. The framework calls these methods
/// synchronously, rarely (start-up and key rotation), and caches the ring in between.
/// </summary>
public sealed class PostgresXmlRepository(NpgsqlDataSource dataSource) : DataAccess(dataSource), IXmlRepository
{
    public IReadOnlyCollection<XElement> GetAllElements()
    {
        const string sql = "SELECT xml FROM data_protection_keys ORDER BY id";
        using var conn = DataSource.OpenConnection();
        return conn.Query<string>(sql).Select(XElement.Parse).ToList();
    }

    public void StoreElement(XElement element, string friendlyName)
    {
        // A retried store of the same key leaves one row.
        const string sql = """
            INSERT INTO data_protection_keys (friendly_name, xml) VALUES (@friendlyName, @xml)
            ON CONFLICT (friendly_name) DO NOTHING
            """;
        using var conn = DataSource.OpenConnection();
        conn.Execute(sql, new { friendlyName, xml = element.ToString(SaveOptions.DisableFormatting) });
    }
}
