using Npgsql;

namespace OpsDesk.Db;

/// <summary>Base of the repositories: the process's one data source, with Dapper's conventions set before first use.</summary>
public abstract class DataAccess
{
    protected DataAccess(NpgsqlDataSource dataSource)
    {
        DapperSetup.EnsureConfigured();
        DataSource = dataSource;
    }

    protected NpgsqlDataSource DataSource { get; }
}
