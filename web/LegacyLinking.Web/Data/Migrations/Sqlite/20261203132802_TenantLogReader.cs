using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace LegacyLinking.Web.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class TenantLogReader : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "ClientName",
                table: "tenant_log_events",
                type: "TEXT",
                maxLength: 256,
                nullable: true);

            migrationBuilder.CreateTable(
                name: "tenant_log_reader",
                columns: table => new
                {
                    Name = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    NextLink = table.Column<string>(type: "TEXT", maxLength: 2048, nullable: true),
                    Checkpoint = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    LookbackPage = table.Column<int>(type: "INTEGER", nullable: true),
                    StartedAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    CoveredFrom = table.Column<DateTime>(type: "TEXT", nullable: true),
                    LogKeptFrom = table.Column<DateTime>(type: "TEXT", nullable: true),
                    CoveredUntil = table.Column<DateTime>(type: "TEXT", nullable: true),
                    CaughtUp = table.Column<bool>(type: "INTEGER", nullable: false),
                    LastReadAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    LastSuccessAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    LastErrorAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    LastError = table.Column<string>(type: "TEXT", maxLength: 512, nullable: true),
                    EventsRead = table.Column<long>(type: "INTEGER", nullable: false),
                    DepnotesStored = table.Column<long>(type: "INTEGER", nullable: false),
                    Calls = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_tenant_log_reader", x => x.Name);
                });

            migrationBuilder.CreateIndex(
                name: "IX_tenant_log_events_Feature_ClientId",
                table: "tenant_log_events",
                columns: new[] { "Feature", "ClientId" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "tenant_log_reader");

            migrationBuilder.DropIndex(
                name: "IX_tenant_log_events_Feature_ClientId",
                table: "tenant_log_events");

            migrationBuilder.DropColumn(
                name: "ClientName",
                table: "tenant_log_events");
        }
    }
}
