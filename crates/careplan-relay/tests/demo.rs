//! `seed-demo`: the demo offices can log in with what demo.json says and find their received items.

mod common;

use careplan_api::{Home, MessagePage};
use careplan_relay::{Relay, RelayConfig};
use common::*;

#[tokio::test]
async fn demo_data_is_usable_from_demo_json() {
    let dir = temp_dir("demo");
    let relay = Relay::init(
        RelayConfig::new(&dir),
        &["localhost".to_owned(), "127.0.0.1".to_owned()],
    )
    .await
    .unwrap();
    relay.seed_demo().await.unwrap();
    let json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.join("demo.json")).unwrap()).unwrap();
    let offices = json["offices"].as_array().unwrap();
    assert_eq!(offices.len(), 4);
    let kinds: Vec<&str> = offices
        .iter()
        .map(|o| o["service_kinds"][0].as_str().unwrap())
        .collect();
    assert_eq!(
        kinds,
        ["43", "11", "15", "17"],
        "a 居宅介護支援事業所 and three service offices of different kinds"
    );

    let running = relay.serve("127.0.0.1:0").await.unwrap();
    let harness = TestRelay {
        dir: dir.clone(),
        relay,
        running,
    };
    for (office, expected_messages) in [(&offices[0], 1), (&offices[1], 2), (&offices[2], 0)] {
        let cert = CertFiles {
            cert: office["certificate"].as_str().unwrap().into(),
            key: office["private_key"].as_str().unwrap().into(),
        };
        let client = harness.client_with(Some(&cert));
        let token = login_with(
            &harness,
            &client,
            office["personal_user_id"].as_str().unwrap(),
            office["office_user_id"].as_str().unwrap(),
            office["personal_password"].as_str().unwrap(),
        )
        .await
        .expect("demo IDs log in");
        let inbox: MessagePage = ok_json(
            client
                .get(harness.url("/v1/inbox"))
                .bearer_auth(&token)
                .send()
                .await
                .unwrap(),
        )
        .await
        .unwrap();
        assert_eq!(inbox.total, expected_messages, "{}", office["name"]);
        let home: Home = ok_json(
            client
                .get(harness.url("/v1/home"))
                .bearer_auth(&token)
                .send()
                .await
                .unwrap(),
        )
        .await
        .unwrap();
        assert_eq!(home.notices.len(), 2);
        let licence = home.licence.unwrap();
        assert!(licence.free_pass);
    }
    // Seeding twice is refused without harm.
    let err = harness.relay.seed_demo().await.unwrap_err();
    assert!(err.to_string().contains("既に登録"), "{err}");
}
